"""Country facts curated by hand: preferred names, extra aliases, demonyms.

The list of countries, their codes and their official names come from the
Debian iso-codes file; common names, alternative spellings, regions and
English demonyms come from mledoze/countries. This module only corrects
and extends those, so that news text ("Pakistani officials", "the U.S.",
"Ivory Coast") finds the right country while ambiguous words do not.
"""

# Canonical display name when the mledoze common name is not the best
# news name (or would collide with another entity).
NAME = {
    "BES": "Caribbean Netherlands",
    "BHS": "Bahamas",
    "CCK": "Cocos Islands",
    "CIV": "Côte d'Ivoire",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CPV": "Cabo Verde",
    "CZE": "Czechia",
    "FSM": "Federated States of Micronesia",
    "GBR": "United Kingdom",
    "GMB": "Gambia",
    "HMD": "Heard Island and McDonald Islands",
    "KOR": "South Korea",
    "MAF": "Saint Martin",
    "MKD": "North Macedonia",
    "MMR": "Myanmar",
    "PRK": "North Korea",
    "PSE": "Palestine",
    "SGS": "South Georgia and the South Sandwich Islands",
    "SHN": "Saint Helena, Ascension and Tristan da Cunha",
    "SJM": "Svalbard and Jan Mayen",
    "SWZ": "Eswatini",
    "TLS": "Timor-Leste",
    "TUR": "Türkiye",
    "UMI": "United States Minor Outlying Islands",
    "USA": "United States",
    "VAT": "Holy See",
    "VGB": "British Virgin Islands",
    "VIR": "United States Virgin Islands",
}

# Extra aliases, written by hand (well-known alternative names, short forms
# and acronyms that news text uses).
EXTRA_ALIASES = {
    "AFG": ["Islamic Emirate of Afghanistan"],
    "ALA": ["Åland"],
    "ARE": ["UAE", "U.A.E."],
    "BES": ["Bonaire", "Sint Eustatius", "Bonaire, Sint Eustatius and Saba"],
    "BHS": ["The Bahamas", "Commonwealth of the Bahamas"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "BOL": ["Plurinational State of Bolivia"],
    "BRN": ["Brunei Darussalam"],
    "CCK": ["Cocos (Keeling) Islands", "Keeling Islands"],
    "CHN": ["People's Republic of China", "PRC", "Mainland China"],
    "CIV": ["Ivory Coast", "Republic of Côte d'Ivoire"],
    "COD": ["DR Congo", "D.R. Congo", "DRC", "Congo-Kinshasa",
            "Democratic Republic of Congo", "Congo"],
    "COG": ["Congo-Brazzaville", "Congo Republic", "Republic of Congo"],
    "CPV": ["Cape Verde", "Republic of Cabo Verde"],
    "CZE": ["Czech Republic"],
    "FLK": ["Falklands", "Falkland Islands (Malvinas)", "Islas Malvinas",
            "Malvinas"],
    "FSM": ["Micronesia"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain",
            "United Kingdom of Great Britain and Northern Ireland"],
    "GMB": ["The Gambia", "Republic of the Gambia"],
    "IOT": ["Chagos Archipelago", "Chagos Islands"],
    "IRN": ["Islamic Republic of Iran"],
    "KOR": ["Republic of Korea", "ROK"],
    "KNA": ["St Kitts and Nevis", "St. Kitts and Nevis",
            "Saint Christopher and Nevis"],
    "LAO": ["Laos", "Lao PDR"],
    "LCA": ["St Lucia", "St. Lucia"],
    "MAC": ["Macao"],
    "MAF": ["Saint-Martin", "Collectivity of Saint Martin"],
    "MDA": ["Republic of Moldova"],
    "MKD": ["Republic of North Macedonia"],
    "MMR": ["Republic of the Union of Myanmar"],
    "NLD": ["Holland", "The Netherlands", "Kingdom of the Netherlands"],
    "PRK": ["DPRK", "Democratic People's Republic of Korea"],
    "PSE": ["State of Palestine", "Palestinian territories",
            "Palestinian Territories", "Occupied Palestinian Territory",
            "Occupied Palestinian Territories"],
    "RUS": ["Russian Federation"],
    "SAU": ["Saudi", "KSA", "Kingdom of Saudi Arabia"],
    "SGS": ["South Georgia"],
    "SHN": ["Saint Helena", "St Helena", "St. Helena"],
    "SJM": ["Svalbard"],
    "SPM": ["St Pierre and Miquelon"],
    "SWZ": ["Kingdom of Eswatini"],
    "SYR": ["Syrian Arab Republic"],
    "TLS": ["East Timor"],
    "TUR": ["Turkey", "Turkiye", "Republic of Türkiye", "Republic of Turkey"],
    "TWN": ["Republic of China", "Chinese Taipei"],
    "TZA": ["United Republic of Tanzania"],
    "USA": ["United States of America", "U.S.", "US", "USA", "U.S.A.",
            "America"],
    "VAT": ["Vatican", "Vatican City State", "Holy See (Vatican City State)"],
    "VCT": ["St Vincent and the Grenadines", "St. Vincent and the Grenadines"],
    "VEN": ["Bolivarian Republic of Venezuela"],
    "VGB": ["BVI"],
    "VIR": ["US Virgin Islands", "U.S. Virgin Islands"],
    "VNM": ["Viet Nam"],
}

# Aliases from the reference data that must not be used: common English
# words or names, foreign words that collide with English ones, or names
# shared by two entities.
DROP_ALIASES = {
    "Island",          # Iceland (Icelandic spelling) - common word
    "Mann", "Mannin",  # Isle of Man - surname
    "Dominique",       # Dominica (French) - given name
    "Viti",            # Fiji - collides with other words
    "Prathet",         # Thailand - generic Thai word
    "Portuguesa",      # Portugal - Spanish adjective
    "Suisse",          # Switzerland - appears in company names
    "Guiana", "Guyane",  # French Guiana - region name, ambiguous
    "Mexicanos",
    "Timor",           # island shared by Timor-Leste and Indonesia
    "Virgin Islands",  # two territories
    "Somers Isles", "The Bermudas",
    "the Abode of Peace", "Nation of Brunei",
    "Pleasant Island",
    "Togolese",        # demonym, added as such
    "Thai",            # demonym, added as such
    "Lao",             # demonym, added as such
    "Saint Martin (French part)",
    "Sint Maarten (Dutch part)",
    "The former Yugoslav Republic of Macedonia",
    "Congo",           # given to COD only, explicitly (see EXTRA_ALIASES)
    "Emirates",        # airline name
    "Zhonghua",
    "Nippon", "Nihon",  # company names (Nippon Steel ...)
    "Sakartvelo",
    "Hayastan",
    "Dzayer",
    "Nijar",
    "Crna Gora",
    "Osterreich", "Oesterreich",
}

# Explicit per-country drops (alias -> only dropped for that country).
DROP_FOR = {
    "COG": ["Congo"],
    "MNP": ["American"],
    "UMI": ["American Islander"],
}

# Demonyms. The automatic list (mledoze English demonym, plus a plural) is
# replaced entirely for the countries below. Values list every form that
# should match: adjective, singular noun, plural noun.
DEMONYMS = {
    "AFG": ["Afghan", "Afghans"],
    "ARE": ["Emirati", "Emiratis"],
    "ARG": ["Argentine", "Argentines", "Argentinian", "Argentinians",
            "Argentinean", "Argentineans"],
    "ATG": ["Antiguan", "Antiguans", "Barbudan", "Barbudans"],
    "BGD": ["Bangladeshi", "Bangladeshis"],
    "BIH": ["Bosnian", "Bosnians", "Herzegovinian", "Herzegovinians"],
    "BFA": ["Burkinabe", "Burkinabè", "Burkinabes"],
    "BWA": ["Botswanan", "Botswanans", "Motswana", "Batswana"],
    "CAF": [],  # "Central African" is a geographic adjective
    "CHE": ["Swiss"],
    "CPV": ["Cape Verdean", "Cape Verdeans", "Cabo Verdean", "Cabo Verdeans",
            "Cape Verdian"],
    "COM": ["Comorian", "Comorians", "Comoran"],
    "COD": ["Congolese"],
    "COG": [],
    "CZE": ["Czech", "Czechs"],
    "DJI": ["Djiboutian", "Djiboutians"],
    # Dominica and the Dominican Republic share "Dominican": only the
    # Dominican Republic keeps it (see SOURCES.md).
    "DMA": [],
    "DNK": ["Danish", "Dane", "Danes"],
    "DOM": ["Dominican", "Dominicans"],
    "ECU": ["Ecuadorian", "Ecuadorians", "Ecuadorean", "Ecuadoreans"],
    "ESP": ["Spanish", "Spaniard", "Spaniards"],
    "FIN": ["Finnish", "Finns"],
    "FRA": ["French", "Frenchman", "Frenchmen", "Frenchwoman",
            "Frenchwomen"],
    "GBR": ["British", "Briton", "Britons", "Brit", "Brits"],
    "GIB": ["Gibraltarian", "Gibraltarians"],
    "GIN": ["Guinean", "Guineans"],
    "GNB": ["Bissau-Guinean", "Bissau-Guineans"],
    "GRC": ["Greek", "Greeks"],
    "GRL": ["Greenlandic", "Greenlander", "Greenlanders"],
    "HKG": ["Hongkonger", "Hongkongers", "Hong Konger", "Hong Kongers"],
    "IMN": ["Manx"],
    "IND": ["Indian", "Indians"],
    "IOT": ["Chagossian", "Chagossians"],
    "IRL": ["Irish", "Irishman", "Irishmen", "Irishwoman"],
    "ISL": ["Icelandic", "Icelander", "Icelanders"],
    "KAZ": ["Kazakh", "Kazakhs", "Kazakhstani", "Kazakhstanis"],
    "KGZ": ["Kyrgyz", "Kyrgyzstani", "Kyrgyzstanis", "Kirghiz"],
    "KIR": ["I-Kiribati"],
    "KNA": ["Kittitian", "Kittitians", "Nevisian", "Nevisians"],
    "KOR": ["South Korean", "South Koreans"],
    "LAO": ["Lao", "Laotian", "Laotians"],
    "LSO": ["Basotho", "Mosotho"],
    "LUX": ["Luxembourger", "Luxembourgers", "Luxembourgish"],
    "MCO": ["Monegasque", "Monégasque", "Monegasques"],
    "MDG": ["Malagasy"],
    "MDV": ["Maldivian", "Maldivians"],
    "MLT": ["Maltese"],
    "MMR": ["Burmese", "Myanmarese"],
    "MNE": ["Montenegrin", "Montenegrins"],
    "NLD": ["Dutch", "Dutchman", "Dutchmen", "Dutchwoman"],
    "NPL": ["Nepalese", "Nepali", "Nepalis"],
    "NZL": ["New Zealander", "New Zealanders"],
    "PHL": ["Filipino", "Filipinos", "Filipina", "Filipinas"],
    "POL": ["Polish", "Poles"],
    "PRK": ["North Korean", "North Koreans"],
    "PRT": ["Portuguese"],
    "SAU": ["Saudi Arabian", "Saudi Arabians", "Saudis"],
    "SGS": [],
    "SLV": ["Salvadoran", "Salvadorans", "Salvadorean", "Salvadoreans"],
    "SMR": ["Sammarinese"],
    "SOM": ["Somali", "Somalis", "Somalian", "Somalians"],
    "SPM": ["Saint-Pierrais", "Miquelonnais"],
    "STP": ["Santomean", "Santomeans", "Sao Tomean", "Sao Tomeans"],
    "SUR": ["Surinamese", "Surinamer", "Surinamers"],
    "SVK": ["Slovak", "Slovaks", "Slovakian", "Slovakians"],
    "SVN": ["Slovene", "Slovenes", "Slovenian", "Slovenians"],
    "SWE": ["Swedish", "Swede", "Swedes"],
    "SWZ": ["Swazi", "Swazis", "Emaswati"],
    "THA": ["Thai", "Thais"],
    "TJK": ["Tajik", "Tajiks", "Tajikistani", "Tajikistanis", "Tadzhik"],
    "TKM": ["Turkmen", "Turkmens"],
    "TLS": ["Timorese", "East Timorese"],
    "TTO": ["Trinidadian", "Trinidadians", "Tobagonian", "Tobagonians"],
    "TUR": ["Turkish", "Turk", "Turks"],
    "TWN": ["Taiwanese"],
    "UZB": ["Uzbek", "Uzbeks", "Uzbekistani", "Uzbekistanis"],
    "VAT": [],
    "VNM": ["Vietnamese"],
    "VUT": ["Ni-Vanuatu"],
    "XKX": ["Kosovar", "Kosovars", "Kosovan", "Kosovans"],
    "YEM": ["Yemeni", "Yemenis"],
    # Dependencies whose mledoze demonym is another country's.
    "ATF": [], "BES": ["Bonairean", "Bonaireans"],
    "MNP": ["Northern Mariana Islander", "Northern Mariana Islanders"],
    "MTQ": ["Martinican", "Martinicans"],
    "MYT": ["Mahoran", "Mahorans"], "REU": ["Réunionese", "Reunionese"],
    "SJM": [], "UMI": [], "GGY": ["Guernseyman", "Guernsey people"],
    "JEY": ["Jerseyman", "Jersey people"],
    "VGB": ["British Virgin Islander", "British Virgin Islanders"],
    "VIR": ["US Virgin Islander", "US Virgin Islanders",
            "U.S. Virgin Islander", "U.S. Virgin Islanders"], "MAC": ["Macanese"], "GUF": ["French Guianese"],
    "GLP": ["Guadeloupean", "Guadeloupeans", "Guadeloupian"],
    "PYF": ["French Polynesian", "French Polynesians"],
    "BLM": ["Barthélemois", "Saint Barthélemy Islander"],
    "MAF": ["Saint-Martinois", "Saint Martiner"],
    "SXM": ["St. Maartener", "Sint Maartener"],
    "HMD": [], "BVT": [], "ATA": [], "CCK": ["Cocos Islander", "Cocos Islanders"],
}
# Demonym forms with no separate plural (adjective = plural noun).
NO_PLURAL_ENDINGS = ("ese", "ss", "sh", "ch", "x", "i-Kiribati")

# Countries not (yet) in ISO 3166-1 but in everyday news.
EXTRA_COUNTRIES = [
    {
        "id": "XKX",
        "mledoze": "UNK",
        "name": "Kosovo",
        "iso2": "XK",
        "numeric": "",
        "official_name": "Republic of Kosovo",
        "note": "not in ISO 3166-1; XK/XKX are user-assigned codes",
    },
]

# Names a country had before, when the state is the same and only its name
# changed: written with `former_names` (a mention through one has
# via=former). ISO 3166-3 withdrew some of these codes (BUMM, ZRCD, RHZW,
# DYBJ, HVBF), but the state went on under its new name, so they are not
# former countries here. West Germany is the Federal Republic of Germany,
# which East Germany joined in 1990.
FORMER_NAMES = {
    "BEN": ["Dahomey"],
    "BFA": ["Upper Volta"],
    "COD": ["Zaire", "Republic of Zaire"],
    "DEU": ["West Germany"],
    "IRN": ["Persia"],
    "KHM": ["Kampuchea"],
    "LKA": ["Ceylon"],
    "MKD": ["Macedonia", "Republic of Macedonia",
            "Former Yugoslav Republic of Macedonia", "FYROM"],
    "MMR": ["Burma"],
    "SWZ": ["Swaziland"],
    "THA": ["Siam"],
    "ZWE": ["Rhodesia", "Southern Rhodesia"],
}

# Demonyms of those former names: still the country's demonyms.
FORMER_DEMONYMS = {
    "COD": ["Zairean", "Zaireans", "Zairian", "Zairians"],
    "DEU": ["West German", "West Germans"],
    "LKA": ["Ceylonese"],
    "ZWE": ["Rhodesian", "Rhodesians"],
}

# Countries that no longer exist: broken up, merged or absorbed (ISO
# 3166-3, Debian iso-codes, LGPL-2.1+). Ids are the ISO 3166-3 alpha-4
# codes, which are never reused (the alpha-2 `CS` was Czechoslovakia,
# then Serbia and Montenegro). Type `country` with status = "former":
# news names them as places, as it does current countries. `period` is
# the years the state existed; `successors` the ISO alpha-3 codes of the
# states that followed it.
FORMER_COUNTRIES = [
    {
        "id": "SUHH",
        "name": "Soviet Union",
        "aliases": ["Union of Soviet Socialist Republics"],
        "acronyms": ["USSR", "U.S.S.R."],
        "demonyms": ["Soviet", "Soviets"],
        "period": "1922-1991",
        "successors": ["ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ",
                       "LTU", "LVA", "MDA", "RUS", "TJK", "TKM", "UKR",
                       "UZB"],
    },
    {
        "id": "YUCS",
        "name": "Yugoslavia",
        "aliases": ["Socialist Federal Republic of Yugoslavia",
                    "Kingdom of Yugoslavia"],
        "acronyms": ["SFRY"],
        "demonyms": ["Yugoslav", "Yugoslavs", "Yugoslavian",
                     "Yugoslavians"],
        "period": "1918-1992",
        "successors": ["BIH", "HRV", "MKD", "SRB", "SVN", "MNE"],
        "note": "the Federal Republic of Yugoslavia (1992-2003) is a "
                "former name of Serbia and Montenegro (CSXX)",
    },
    {
        "id": "CSXX",
        "name": "Serbia and Montenegro",
        "former_names": ["Federal Republic of Yugoslavia"],
        "period": "1992-2006",
        "successors": ["SRB", "MNE"],
    },
    {
        "id": "CSHH",
        "name": "Czechoslovakia",
        "aliases": ["Czechoslovak Socialist Republic",
                    "Czech and Slovak Federative Republic"],
        "demonyms": ["Czechoslovak", "Czechoslovaks", "Czechoslovakian",
                     "Czechoslovakians"],
        "period": "1918-1992",
        "successors": ["CZE", "SVK"],
    },
    {
        "id": "DDDE",
        "name": "East Germany",
        "aliases": ["German Democratic Republic"],
        "acronyms": ["GDR", "DDR"],
        "demonyms": ["East German", "East Germans"],
        "period": "1949-1990",
        "successors": ["DEU"],
    },
    {
        "id": "ANHH",
        "name": "Netherlands Antilles",
        "demonyms": ["Netherlands Antillean", "Netherlands Antilleans"],
        "period": "1954-2010",
        "successors": ["CUW", "SXM", "BES"],
        "note": "Aruba (ABW) left in 1986",
    },
    {
        "id": "YDYE",
        "name": "South Yemen",
        "aliases": ["People's Democratic Republic of Yemen"],
        "demonyms": ["South Yemeni", "South Yemenis"],
        "period": "1967-1990",
        "successors": ["YEM"],
    },
    {
        "id": "VDVN",
        "name": "North Vietnam",
        "aliases": ["Democratic Republic of Vietnam"],
        "demonyms": ["North Vietnamese"],
        "period": "1945-1976",
        "successors": ["VNM"],
    },
]

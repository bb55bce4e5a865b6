"""First-level subdivisions (ISO 3166-2), curated by hand.

The codes, subdivision types and local names come from the ISO 3166-2
table of Debian's iso-codes as shipped in the PyPI package pycountry
(see tools/SOURCES.md); this module only says which countries to take,
the English names news uses, and which bare names are too ambiguous to
stand alone (those get a qualified name such as "Lagos State").
"""

# Countries whose top-level subdivisions are taken (ISO alpha-2). US, CA
# and AU states already exist in regions.py: they only get the code.
COUNTRIES = ["IN", "DE", "CN", "BR", "MX", "NG", "PK", "JP", "IT", "ES",
             "FR", "GB", "ID", "IR", "TR", "ZA", "AR"]

# Indonesia's top level is seven "geographical units"; its provinces sit
# under them. For these countries the ISO types below are taken at any
# level instead of the top level.
TYPES_AT_ANY_LEVEL = {"ID": {"Province", "Capital district",
                             "Special region"}}

# Subdivisions left out: they are countries of their own in ISO 3166-1
# (Taiwan, Hong Kong, Macao, France's overseas collectivities), cities
# that already are city entities (Berlin, Hamburg, Mexico City, Buenos
# Aires, Jakarta), or names no one writes (Brazil's Distrito Federal is
# Brasilia).
SKIP = {"CN-TW", "CN-HK", "CN-MO", "DE-BE", "DE-HH", "MX-CMX", "AR-C",
        "ID-JK", "BR-DF",
        "FR-971", "FR-972", "FR-973", "FR-974", "FR-976", "FR-BL", "FR-CP",
        "FR-MF", "FR-NC", "FR-PF", "FR-PM", "FR-TF", "FR-WF"}

# Codes of subdivisions that already are entities in regions.py (written
# by hand before this table): they get the `iso_3166_2` attribute and keep
# their id, name and kind. Entities whose name matches an ISO name of
# their country are found without this list.
EXISTING = {
    "PK-KP": "khyber-pakhtunkhwa", "PK-BA": "balochistan",
    "PK-GB": "gilgit-baltistan", "PK-JK": "azad-kashmir",
    "PK-IS": "islamabad-capital-territory", "PK-SD": "sindh",
    "IN-JK": "jammu-and-kashmir", "CN-XJ": "xinjiang", "CN-XZ": "tibet",
    "IR-11": "sistan-baluchestan", "IR-06": "khuzestan",
    "GB-ENG": "england", "GB-SCT": "scotland", "GB-WLS": "wales",
    "GB-NIR": "northern-ireland", "RU-KRS": "kursk", "RU-CE": "chechnya",
    "RU-DA": "dagestan", "NG-BO": "borno", "MM-02": "rakhine",
    "AF-HEL": "helmand", "AF-NAN": "nangarhar", "AF-KNR": "kunar",
    "AF-PIA": "paktia", "AF-PKA": "paktika", "AF-KHO": "khost",
    "AF-BDS": "badakhshan", "AF-PAN": "panjshir", "IQ-AN": "anbar",
    "MZ-P": "cabo-delgado", "CD-NK": "north-kivu", "CD-SK": "south-kivu",
    "UA-14": "donetsk", "UA-09": "luhansk", "UA-65": "kherson",
    "UA-43": "crimea", "ET-TI": "tigray",
    "AU-NSW": "new-south-wales", "AU-VIC": "victoria-australia",
    "AU-QLD": "au-queensland", "AU-WA": "au-western-australia",
    "AU-SA": "au-south-australia", "AU-TAS": "au-tasmania",
    "AU-NT": "au-northern-territory", "AU-ACT": "au-act",
    "CA-NT": "ca-northwest-territories",
}

# English names (and extra aliases) where news does not use the ISO name.
# code -> (name, [aliases]); the ISO name is kept as an alias when it is
# written in Latin letters and differs.
ENGLISH = {
    # Germany
    "DE-BY": ("Bavaria", []), "DE-HE": ("Hesse", []),
    "DE-MV": ("Mecklenburg-Western Pomerania",
              ["Mecklenburg-West Pomerania"]),
    "DE-NI": ("Lower Saxony", []),
    "DE-NW": ("North Rhine-Westphalia", ["North Rhine Westphalia"]),
    "DE-RP": ("Rhineland-Palatinate", []), "DE-SN": ("Saxony", []),
    "DE-ST": ("Saxony-Anhalt", []), "DE-TH": ("Thuringia", []),
    "DE-HB": ("Free Hanseatic City of Bremen", ["State of Bremen"]),
    # China
    "CN-GX": ("Guangxi", ["Guangxi Zhuang Autonomous Region"]),
    "CN-NM": ("Inner Mongolia", ["Nei Mongol"]),
    "CN-NX": ("Ningxia", ["Ningxia Hui Autonomous Region"]),
    "CN-BJ": ("Beijing Municipality", []),
    "CN-SH": ("Shanghai Municipality", []),
    "CN-TJ": ("Tianjin Municipality", []),
    "CN-CQ": ("Chongqing Municipality", []),
    # Italy
    "IT-21": ("Piedmont", []), "IT-23": ("Aosta Valley", []),
    "IT-25": ("Lombardy", []),
    "IT-32": ("Trentino-Alto Adige", ["Trentino-South Tyrol"]),
    "IT-36": ("Friuli Venezia Giulia", ["Friuli-Venezia Giulia"]),
    "IT-52": ("Tuscany", []), "IT-62": ("Lazio region", []),
    "IT-75": ("Apulia", ["Puglia"]), "IT-82": ("Sicily", []),
    "IT-88": ("Sardinia", []),
    # Spain
    "ES-AN": ("Andalusia", ["Andalucia"]), "ES-AR": ("Aragon", []),
    "ES-AS": ("Asturias", ["Principality of Asturias"]),
    "ES-CL": ("Castile and León", ["Castilla y León"]),
    "ES-CM": ("Castilla-La Mancha", ["Castile-La Mancha"]),
    "ES-CN": ("Canary Islands", ["Canarias"]),
    "ES-CT": ("Catalonia", ["Catalunya", "Cataluña"]),
    "ES-GA": ("Galicia", []),
    "ES-IB": ("Balearic Islands", ["Illes Balears", "Islas Baleares"]),
    "ES-MC": ("Region of Murcia", []),
    "ES-MD": ("Community of Madrid", ["Comunidad de Madrid",
                                      "Madrid region"]),
    "ES-NC": ("Navarre", ["Navarra"]),
    "ES-PV": ("Basque Country", ["País Vasco", "Euskadi"]),
    "ES-VC": ("Valencian Community", ["Comunitat Valenciana",
                                      "Comunidad Valenciana"]),
    # France
    "FR-20R": ("Corsica", ["Corse"]),
    "FR-BFC": ("Bourgogne-Franche-Comté", ["Burgundy-Franche-Comté"]),
    "FR-BRE": ("Brittany", ["Bretagne"]), "FR-GES": ("Grand Est", []),
    "FR-NOR": ("Normandy", ["Normandie"]),
    "FR-OCC": ("Occitania", ["Occitanie"]),
    "FR-PAC": ("Provence-Alpes-Côte d'Azur", ["PACA"]),
    "FR-PDL": ("Pays de la Loire", []),
    # India
    "IN-DL": ("National Capital Territory of Delhi", ["NCT of Delhi",
                                                      "Delhi NCT"]),
    "IN-OD": ("Odisha", ["Orissa"]), "IN-PY": ("Puducherry",
                                               ["Pondicherry"]),
    "IN-UK": ("Uttarakhand", ["Uttaranchal"]),
    "IN-PB": ("Punjab, India", ["Indian Punjab", "Indian state of Punjab"]),
    "IN-DH": ("Dadra and Nagar Haveli and Daman and Diu", []),
    # Pakistan
    "PK-PB": ("Punjab, Pakistan", ["Pakistani Punjab", "Punjab province"]),
    # Indonesia
    "ID-JB": ("West Java", []), "ID-JT": ("Central Java", []),
    "ID-JI": ("East Java", []), "ID-KB": ("West Kalimantan", []),
    "ID-KT": ("Central Kalimantan", []), "ID-KS": ("South Kalimantan", []),
    "ID-KI": ("East Kalimantan", []), "ID-KU": ("North Kalimantan", []),
    "ID-SU": ("North Sumatra", []), "ID-SB": ("West Sumatra", []),
    "ID-SS": ("South Sumatra", []), "ID-SA": ("North Sulawesi", []),
    "ID-ST": ("Central Sulawesi", []), "ID-SN": ("South Sulawesi", []),
    "ID-SG": ("Southeast Sulawesi", []), "ID-SR": ("West Sulawesi", []),
    "ID-NB": ("West Nusa Tenggara", []), "ID-NT": ("East Nusa Tenggara", []),
    "ID-MU": ("North Maluku", []), "ID-PB": ("West Papua", []),
    "ID-PD": ("Southwest Papua", []), "ID-PE": ("Highland Papua", []),
    "ID-PS": ("South Papua", []), "ID-PT": ("Central Papua", []),
    "ID-PA": ("Papua Province", []),
    "ID-BB": ("Bangka Belitung Islands", []),
    "ID-KR": ("Riau Islands", []),
    "ID-YO": ("Special Region of Yogyakarta", []),
    # Iran
    "IR-00": ("Markazi", []), "IR-01": ("Gilan", []),
    "IR-02": ("Mazandaran", []), "IR-03": ("East Azerbaijan", []),
    "IR-04": ("West Azerbaijan", []), "IR-05": ("Kermanshah", []),
    "IR-07": ("Fars", []), "IR-08": ("Kerman", []),
    "IR-09": ("Razavi Khorasan", []), "IR-10": ("Isfahan", []),
    "IR-12": ("Kurdistan Province", []), "IR-13": ("Hamadan", []),
    "IR-14": ("Chaharmahal and Bakhtiari", []), "IR-15": ("Lorestan", []),
    "IR-16": ("Ilam", []),
    "IR-17": ("Kohgiluyeh and Boyer-Ahmad", []), "IR-18": ("Bushehr", []),
    "IR-19": ("Zanjan", []), "IR-20": ("Semnan", []), "IR-21": ("Yazd", []),
    "IR-22": ("Hormozgan", []), "IR-23": ("Tehran", []),
    "IR-24": ("Ardabil", []), "IR-25": ("Qom", []), "IR-26": ("Qazvin", []),
    "IR-27": ("Golestan", []), "IR-28": ("North Khorasan", []),
    "IR-29": ("South Khorasan", []), "IR-30": ("Alborz", []),
    # Mexico
    "MX-MEX": ("State of Mexico", ["Mexico State", "Estado de México",
                                   "Edomex"]),
    "MX-COA": ("Coahuila", []), "MX-MIC": ("Michoacán", []),
    "MX-VER": ("Veracruz", []),
    # Nigeria
    "NG-FC": ("Federal Capital Territory", ["Abuja Federal Capital "
                                            "Territory"]),
    # Japan
    "JP-13": ("Tokyo Metropolis", ["Tokyo Prefecture"]),
    "JP-28": ("Hyogo", ["Hyōgo"]),
    # South Africa
    "ZA-KZN": ("KwaZulu-Natal", []), "ZA-NW": ("North West Province", []),
    # Argentina
    "AR-F": ("La Rioja Province", []),
}

# Bare names that must not stand alone, beyond those the generator finds
# by itself (a name or alias of another built-in entity, a common English
# word, a first name): they are written "<name> <Kind>" ("Delta State",
# "Van Province").
RISKY = {
    # other places, people and things of the same name
    "Delta", "Rivers", "Plateau", "Niger", "Imo", "Edo", "Acre",
    "Amazonas", "Pará", "Rio de Janeiro", "São Paulo", "Guerrero",
    "Hidalgo", "Tabasco", "Van", "Batman", "Muş", "Saga", "Nara", "Mie",
    "Kochi", "Miyazaki", "Yamaguchi", "Ishikawa", "Yamagata", "Córdoba",
    "Santa Cruz", "San Juan", "Santa Fe", "Formosa", "Chaco", "Misiones",
    "Río Negro", "San Luis", "La Pampa", "Buenos Aires", "Free State",
    "Fars", "Marche", "Kerman", "Georgia", "Punjab",
    # the football club more often than the Land
    "Bayern",
}

# The word after a risky name, by lower-cased ISO type.
SUFFIX = {
    "state": "State", "province": "Province", "prefecture": "Prefecture",
    "land": "state", "region": "region", "autonomous region": "region",
    "union territory": "Union Territory",
    "autonomous community": "Autonomous Community",
    "metropolitan region": "region", "municipality": "Municipality",
}

# Suffixes that are real parts of the name news writes, added as an alias
# even when the bare name is safe ("Sichuan province", "Kano State").
ALIAS_SUFFIX = {"state": "State", "province": "Province",
                "prefecture": "Prefecture"}

"""International organisations: curation of the supraverden list, plus
well-known bodies it does not cover (written by hand).
"""

# supraverden entries of these types are left out (research consortia,
# joint undertakings, FAO statutory fishery bodies, all-Ireland bodies):
# they add noise and almost never occur in news text.
EXCLUDE_TYPES = {
    "European Research Infrastructure Consortium",
    "EU joint undertaking",
    "FAO statutory body",
    "all-Ireland implementation body",
}
EXCLUDE_NAMES = {
    "INFRAFRONTIER",
    "European Spallation Source",
    "e-Science and Technology European Infrastructure for Biodiversity and "
    "Ecosystem Research",
    "Survey of Health, Ageing and Retirement in Europe",
    "Microbial Resource Research Infrastructure",
    "Cherenkov Telescope Array Observatory",
    "Coordinating Working Party on Fishery Statistics",
    "Regional Commission for Fisheries",
    "European Schools",
    "South Centre",
    "Tourism Ireland",
    "North/South Ministerial Council",
    "Special EU Programmes Body",
}

# Acronyms from supraverden that are common words, collide with better
# known acronyms, or are wrong in the source. They are never used.
ACRONYM_DENY = {
    "ERIC", "SHARE", "ELI", "ESS", "ERA", "FRA", "AMA", "ETF", "ELA", "ECA",
    "ESA", "ISA", "IDB", "ACP", "CFC", "CPD", "CSW", "CND", "PBC", "PCB",
    "ITC", "ILC", "IOC", "CBD", "CIP", "CIAT", "MSG", "ACS", "ATU", "ISC",
    "IMC", "LTA", "CLE", "APT", "CCA", "SDF", "NIB", "NDF", "EP", "WB",
    "SPC", "PCA", "NPI", "SAU", "ETI", "JIU", "UNV", "AMF", "AWO", "IDEA",
    "IIR", "IRU", "BIC", "CTU", "TDB", "INL", "BIE", "ECCC", "EDA", "CIM",
    "IIN", "JSCA", "JIV", "CoR", "CdT", "SRB", "EBA", "EEA", "CPSC",
    "Organization of the Petroleum Exporting Countries",
    "Loss and Damahe Fund", "CAMLR", "ICMM", "HLPF", "IASI", "ICDO",
    "FLAR", "CIEC", "ACAO", "PAPU", "CCNR", "COE", "CCCCC", "5Cs",
}

# Aliases from supraverden that must not be used.
ALIAS_DENY = {
    "Council of ministers", "Human Rights Council", "Joint Inspection Unit",
    "Statistical Commission", "Commonwealth Secretariat", "Energy Community",
    "Council of Legal Education", "Fusion for Energy", "Dhaman",
    "Safefood", "Union State", "Benelux", "Loss and Damahe Fund",
}

# Stable ids and extra aliases for supraverden entries (keyed by the
# supraverden English name). "aliases" are added; "acronyms" replace the
# source acronyms when given; "name" replaces the display name.
OVERRIDES = {
    "European Union": dict(id="org:eu", aliases=["EU", "E.U."],
                           kind="supranational_union"),
    "Council of the European Union": dict(id="org:council-of-the-eu"),
    "Court of Justice of the European Union": dict(
        id="org:cjeu", aliases=["European Court of Justice", "ECJ"]),
    "European Central Bank": dict(id="org:ecb", kind="central_bank"),
    "European Commission": dict(id="org:european-commission",
                                aliases=["EU Commission"]),
    "European Council": dict(id="org:european-council"),
    "European Parliament": dict(id="org:european-parliament",
                                kind="parliament", acronyms=[]),
    "European Investment Bank": dict(id="org:eib", acronyms=["EIB"]),
    "European Atomic Energy Community": dict(id="org:euratom"),
    "Europol": dict(id="org:europol", kind="police"),
    "European Border and Coast Guard Agency": dict(id="org:frontex"),
    "European External Action Service": dict(id="org:eeas"),
    "Council of Europe": dict(id="org:council-of-europe"),
    "Commonwealth of Independent States": dict(id="org:cis"),
    "Organization of American States": dict(id="org:oas"),
    "Inter-American Development Bank": dict(id="org:iadb",
                                            acronyms=["IDB", "IADB"]),
    "Organization for Security and Co-operation in Europe": dict(
        id="org:osce",
        aliases=["Organization for Security and Cooperation in Europe"]),
    "North Atlantic Treaty Organisation": dict(
        id="org:nato", name="North Atlantic Treaty Organization",
        aliases=["North Atlantic Treaty Organisation", "Nato",
                 "North Atlantic Alliance", "Atlantic Alliance"],
        kind="military_alliance"),
    "Caribbean Community": dict(id="org:caricom"),
    "Association of Southeast Asian Nations": dict(
        id="org:asean", aliases=["Association of South-East Asian Nations"]),
    "Mercosur": dict(id="org:mercosur"),
    "African Union": dict(id="org:au", acronyms=["AU"]),
    "Eurasian Economic Union": dict(id="org:eaeu"),
    "Organization of the Petroleum Exporting Countries": dict(
        id="org:opec", aliases=["OPEC Plus"]),
    "Financial Action Task Force": dict(id="org:fatf"),
    "European Court of Human Rights": dict(id="org:echr", kind="court"),
    "European Free Trade Association": dict(id="org:efta"),
    "International Criminal Police Organization": dict(
        id="org:interpol", acronyms=[], aliases=["Interpol", "INTERPOL"],
        kind="police"),
    "African Development Bank": dict(id="org:afdb", acronyms=["AfDB"]),
    "Asian Development Bank": dict(id="org:adb", acronyms=["ADB"]),
    "Asian Infrastructure Investment Bank": dict(id="org:aiib",
                                                 acronyms=["AIIB"]),
    "Commonwealth Secretariat": dict(id="org:commonwealth-secretariat"),
    "European Bank for Reconstruction and Development": dict(id="org:ebrd"),
    "Cooperation Council for the Arab States of the Gulf": dict(id="org:gcc"),
    "South Asian Association for Regional Cooperation": dict(id="org:saarc"),
    "Economic Community of West African States": dict(id="org:ecowas"),
    "Organisation for Economic Co-operation and Development": dict(
        id="org:oecd",
        aliases=["Organization for Economic Cooperation and Development"]),
    "Organisation of Islamic Cooperation": dict(
        id="org:oic", acronyms=["OIC"],
        aliases=["Organization of Islamic Cooperation",
                 "Organisation of the Islamic Conference",
                 "Organization of the Islamic Conference"]),
    "Shanghai Cooperation Organisation": dict(
        id="org:sco", acronyms=["SCO"],
        aliases=["Shanghai Cooperation Organization"]),
    "Collective Security Treaty Organization": dict(
        id="org:csto", kind="military_alliance"),
    "New Development Bank": dict(id="org:ndb", acronyms=["NDB"],
                                 aliases=["BRICS Bank"]),
    "International Energy Agency": dict(id="org:iea", acronyms=["IEA"]),
    "Comprehensive Nuclear-Test-Ban Treaty Organisation": dict(
        id="org:ctbto",
        aliases=["Comprehensive Nuclear-Test-Ban Treaty Organization"]),
    "Preparatory Commission for the Comprehensive Nuclear Test-Ban Treaty "
    "Organization": dict(id="org:ctbto-prepcom", acronyms=[]),
    "European Organization for Nuclear Research": dict(id="org:cern"),
    "Intergovernmental Authority on Development": dict(id="org:igad"),
    "Islamic Development Bank": dict(id="org:isdb"),
    "Asia-Pacific Economic Cooperation Secretariat": dict(
        id="org:apec", name="Asia-Pacific Economic Cooperation",
        aliases=["APEC Secretariat"], acronyms=["APEC"]),
    "International Committee of the Red Cross": dict(
        id="org:icrc", aliases=["International Red Cross"]),
    "Arab League": dict(id="org:arab-league"),
    "United Nations": dict(id="org:un", acronyms=["UN", "U.N."],
                           kind="intergovernmental"),
    "United Nations Security Council": dict(
        id="org:unsc", aliases=["U.N. Security Council",
                                "Security Council"]),
    "United Nations General Assembly": dict(
        id="org:unga", aliases=["U.N. General Assembly"]),
    "United Nations Secretariat": dict(id="org:un-secretariat"),
    "International Court of Justice": dict(id="org:icj", kind="court",
                                           aliases=["World Court"]),
    "Food and Agriculture Organization": dict(
        id="org:fao",
        aliases=["Food and Agriculture Organization of the United Nations",
                 "UN Food and Agriculture Organization"]),
    "International Bank for Reconstruction and Development": dict(
        id="org:ibrd"),
    "United Nations Children’s Fund": dict(id="org:unicef",
                                           aliases=["UN Children's Fund"]),
    "United Nations Development Programme": dict(id="org:undp"),
    "United Nations Environment Programme": dict(id="org:unep"),
    "Office of the United Nations High Commissioner for Refugees": dict(
        id="org:unhcr", aliases=["UN Refugee Agency", "UN refugee agency",
                                 "UN High Commissioner for Refugees"]),
    "United Nations World Food Programme": dict(
        id="org:wfp", aliases=["World Food Programme",
                               "World Food Program"]),
    "World Bank": dict(id="org:world-bank", acronyms=[]),
    "World Bank Group": dict(id="org:world-bank-group"),
    "World Health Organization": dict(id="org:who",
                                      aliases=["UN health agency"]),
    "International Monetary Fund": dict(id="org:imf"),
    "International Atomic Energy Agency": dict(id="org:iaea",
                                               aliases=["UN nuclear watchdog"]),
    "International Organization for Migration": dict(id="org:iom"),
    "International Criminal Court": dict(id="org:icc", kind="court"),
    "United Nations Educational, Scientific and Cultural Organization": dict(
        id="org:unesco"),
    "International Labour Organization": dict(id="org:ilo"),
    "World Meteorological Organization": dict(id="org:wmo"),
    "United Nations Tourism": dict(id="org:un-tourism",
                                   aliases=["UNWTO",
                                            "World Tourism Organization"]),
    "International Finance Corporation": dict(id="org:ifc"),
    "International Development Association": dict(id="org:ida"),
    "Organisation for the Prohibition of Chemical Weapons": dict(
        id="org:opcw"),
    "United Nations Human Rights Council": dict(
        id="org:unhrc", aliases=["UN Human Rights Council",
                                 "U.N. Human Rights Council"]),
    "UN Women": dict(id="org:un-women"),
    "United Nations Relief and Works Agency for Palestine Refugees in the "
    "Near East": dict(id="org:unrwa",
                      aliases=["UN agency for Palestinian refugees"]),
    "World Trade Organization": dict(id="org:wto"),
    "Bank for International Settlements": dict(id="org:bis"),
    "OPEC Fund for International Development": dict(
        id="org:opec-fund", acronyms=[], aliases=["OPEC Fund"]),
    "Caribbean Development Bank": dict(id="org:cdb", acronyms=["CDB"]),
    "International Institute for Democracy and Electoral Assistance": dict(
        acronyms=["International IDEA"]),
    "Inter-American Defense Board": dict(acronyms=[]),
    "United Nations Framework Convention for Climate Change secretariat":
        dict(id="org:unfccc", acronyms=["UNFCCC"],
             aliases=["UN Framework Convention on Climate Change"]),
    "Supply Agency of the European Atomic Energy Community": dict(
        acronyms=[]),
    "International Olive Council": dict(acronyms=[]),
    "Permanent Court of Arbitration": dict(acronyms=[]),
    "International Seabed Authority": dict(acronyms=[]),
    "International Solar Alliance": dict(acronyms=[]),
    "World Intellectual Property Organization": dict(id="org:wipo"),
    "International Civil Aviation Organization": dict(id="org:icao"),
    "International Maritime Organization": dict(id="org:imo"),
    "International Telecommunication Union": dict(id="org:itu"),
    "Universal Postal Union": dict(id="org:upu"),
    "United Nations Industrial Development Organization": dict(
        id="org:unido"),
    "International Fund for Agricultural Development": dict(id="org:ifad"),
    "United Nations Population Fund": dict(id="org:unfpa"),
    "International Renewable Energy Agency": dict(id="org:irena"),
    "International Union for Conservation of Nature and Natural Resources":
        dict(id="org:iucn"),
    "Multilateral Investment Guarantee Agency": dict(id="org:miga",
                                                     acronyms=["MIGA"]),
    "International Centre for Settlement of Investment Disputes": dict(
        id="org:icsid"),
    "Southern African Development Community": dict(id="org:sadc"),
    "Common Market for Eastern and Southern Africa": dict(id="org:comesa"),
    "Economic Cooperation Organization": dict(id="org:eco"),
    "Bay of Bengal Initiative for Multi-Sectoral Technical and Economic "
    "Cooperation": dict(id="org:bimstec"),
    "European Space Agency": dict(id="org:esa", acronyms=["ESA"]),
    "International Organisation of La Francophonie": dict(
        id="org:francophonie",
        aliases=["Organisation internationale de la Francophonie",
                 "La Francophonie"]),
    "European Medicines Agency": dict(id="org:ema"),
    "European Centre for Disease Prevention and Control": dict(
        id="org:ecdc"),
    "Board of Peace": dict(id="org:board-of-peace"),
}

# Well-known bodies not in the supraverden list. Fields as in OVERRIDES,
# plus "name" and "kind".
EXTRA = [
    dict(id="org:g7", name="Group of Seven", acronyms=["G7", "G-7"],
         kind="forum"),
    dict(id="org:g8", name="Group of Eight", acronyms=["G8", "G-8"],
         kind="forum", former="true"),
    dict(id="org:g20", name="Group of Twenty", acronyms=["G20", "G-20"],
         kind="forum"),
    dict(id="org:brics", name="BRICS", aliases=["BRICS group",
                                                "BRICS nations"],
         kind="forum"),
    dict(id="org:quad", name="Quadrilateral Security Dialogue",
         aliases=["Quad grouping", "Quad alliance"], kind="forum"),
    dict(id="org:aukus", name="AUKUS", aliases=["AUKUS pact"],
         kind="military_alliance"),
    dict(id="org:five-eyes", name="Five Eyes",
         aliases=["Five Eyes alliance"], kind="intelligence_alliance"),
    dict(id="org:commonwealth", name="Commonwealth of Nations",
         kind="intergovernmental"),
    dict(id="org:nam", name="Non-Aligned Movement", kind="forum"),
    dict(id="org:ocha", name="Office for the Coordination of Humanitarian "
         "Affairs", acronyms=["OCHA"],
         aliases=["UN Office for the Coordination of Humanitarian Affairs",
                  "United Nations Office for the Coordination of "
                  "Humanitarian Affairs"], kind="un_body"),
    dict(id="org:ohchr", name="Office of the United Nations High "
         "Commissioner for Human Rights", acronyms=["OHCHR"],
         aliases=["UN Human Rights Office", "UN human rights office"],
         kind="un_body"),
    dict(id="org:unodc", name="United Nations Office on Drugs and Crime",
         acronyms=["UNODC"], aliases=["UN Office on Drugs and Crime"],
         kind="un_body"),
    dict(id="org:unama", name="United Nations Assistance Mission in "
         "Afghanistan", acronyms=["UNAMA"],
         aliases=["UN Assistance Mission in Afghanistan"],
         kind="un_mission", country="AFG"),
    dict(id="org:unifil", name="United Nations Interim Force in Lebanon",
         acronyms=["UNIFIL"], aliases=["UN Interim Force in Lebanon"],
         kind="un_mission", country="LBN"),
    dict(id="org:monusco", name="United Nations Organization Stabilization "
         "Mission in the Democratic Republic of the Congo",
         acronyms=["MONUSCO"], kind="un_mission", country="COD"),
    dict(id="org:unmiss", name="United Nations Mission in South Sudan",
         acronyms=["UNMISS"], kind="un_mission", country="SSD"),
    dict(id="org:unmogip", name="United Nations Military Observer Group in "
         "India and Pakistan", acronyms=["UNMOGIP"], kind="un_mission"),
    dict(id="org:un-peacekeeping", name="United Nations Peacekeeping",
         aliases=["UN Peacekeeping", "UN peacekeepers",
                  "U.N. peacekeepers"], kind="un_body"),
    dict(id="org:unaids", name="Joint United Nations Programme on HIV/AIDS",
         acronyms=["UNAIDS"], kind="un_body"),
    dict(id="org:ipcc", name="Intergovernmental Panel on Climate Change",
         acronyms=["IPCC"], kind="un_body"),
    dict(id="org:unsc-1267", name="ISIL (Da'esh) and Al-Qaida Sanctions "
         "Committee", aliases=["1267 Committee",
                               "UN 1267 sanctions committee"],
         kind="un_body"),
    dict(id="org:gavi", name="Gavi, the Vaccine Alliance",
         aliases=["Gavi", "GAVI"], kind="public_private_partnership"),
    dict(id="org:global-fund", name="Global Fund to Fight AIDS, "
         "Tuberculosis and Malaria", aliases=["Global Fund"],
         kind="public_private_partnership"),
    dict(id="org:ifrc", name="International Federation of Red Cross and "
         "Red Crescent Societies", acronyms=["IFRC"], kind="humanitarian"),
    dict(id="org:msf", name="Médecins Sans Frontières",
         aliases=["Doctors Without Borders"], acronyms=["MSF"],
         kind="ngo"),
    dict(id="org:amnesty", name="Amnesty International", kind="ngo"),
    dict(id="org:hrw", name="Human Rights Watch", acronyms=["HRW"],
         kind="ngo"),
    dict(id="org:transparency-international",
         name="Transparency International", kind="ngo"),
    dict(id="org:crisis-group", name="International Crisis Group",
         kind="ngo"),
    dict(id="org:cpj", name="Committee to Protect Journalists",
         acronyms=["CPJ"], kind="ngo"),
    dict(id="org:rsf", name="Reporters Without Borders",
         aliases=["Reporters Sans Frontières"], acronyms=["RSF"],
         kind="ngo"),
    dict(id="org:paris-club", name="Paris Club", kind="forum"),
    dict(id="org:nsg", name="Nuclear Suppliers Group", acronyms=["NSG"],
         kind="export_control_regime"),
    dict(id="org:mtcr", name="Missile Technology Control Regime",
         acronyms=["MTCR"], kind="export_control_regime"),
    dict(id="org:wassenaar", name="Wassenaar Arrangement",
         kind="export_control_regime"),
    dict(id="org:fsb-intl", name="Financial Stability Board",
         kind="intergovernmental"),
    dict(id="org:egmont-group", name="Egmont Group",
         aliases=["Egmont Group of Financial Intelligence Units"],
         kind="intergovernmental"),
    dict(id="org:apg", name="Asia/Pacific Group on Money Laundering",
         aliases=["Asia Pacific Group on Money Laundering"],
         kind="intergovernmental"),
    dict(id="org:imctc", name="Islamic Military Counter Terrorism "
         "Coalition", acronyms=["IMCTC"],
         aliases=["Islamic Military Coalition"], kind="military_alliance"),
    dict(id="org:global-coalition-isis", name="Global Coalition to Defeat "
         "ISIS", aliases=["Global Coalition Against Daesh", "Global Coalition",
                          "Global Coalition against ISIL",
                          "Counter-ISIS Coalition", "Counter-ISIL Coalition",
                          "anti-ISIS coalition",
                          "US-led coalition against ISIS"],
         kind="military_alliance"),
    dict(id="org:gctf", name="Global Counterterrorism Forum",
         acronyms=["GCTF"], kind="forum"),
    dict(id="org:asean-regional-forum", name="ASEAN Regional Forum",
         kind="forum"),
    dict(id="org:east-asia-summit", name="East Asia Summit", kind="forum"),
    dict(id="org:cica", name="Conference on Interaction and Confidence-"
         "Building Measures in Asia", acronyms=["CICA"], kind="forum"),
    # Sport governing bodies (evidence for the sport topic)
    dict(id="org:ioc", name="International Olympic Committee",
         acronyms=["IOC"], kind="sport_body"),
    dict(id="org:fifa", name="FIFA", aliases=["Fédération Internationale "
                                              "de Football Association"],
         kind="sport_body"),
    dict(id="org:uefa", name="UEFA", aliases=["Union of European Football "
                                              "Associations"],
         kind="sport_body"),
    dict(id="org:icc-cricket", name="International Cricket Council",
         kind="sport_body"),
    dict(id="org:acc-cricket", name="Asian Cricket Council",
         kind="sport_body"),
    dict(id="org:wada", name="World Anti-Doping Agency", acronyms=["WADA"],
         kind="sport_body"),
    dict(id="org:ocasia", name="Olympic Council of Asia", kind="sport_body"),
    dict(id="org:world-athletics", name="World Athletics",
         kind="sport_body"),
    dict(id="org:fih", name="International Hockey Federation",
         acronyms=["FIH"], kind="sport_body"),
    dict(id="org:pcb", name="Pakistan Cricket Board", acronyms=["PCB"],
         kind="sport_body", country="PAK"),
    dict(id="org:bcci", name="Board of Control for Cricket in India",
         acronyms=["BCCI"], kind="sport_body", country="IND"),
    dict(id="org:cricket-australia", name="Cricket Australia",
         kind="sport_body", country="AUS"),
    dict(id="org:ecb-cricket", name="England and Wales Cricket Board",
         kind="sport_body", country="GBR"),
    dict(id="org:nba", name="National Basketball Association",
         acronyms=["NBA"], kind="sport_body", country="USA"),
    dict(id="org:nfl", name="National Football League", acronyms=["NFL"],
         kind="sport_body", country="USA"),
    dict(id="org:premier-league", name="Premier League",
         aliases=["English Premier League"], kind="sport_body",
         country="GBR"),
    dict(id="org:psl", name="Pakistan Super League", acronyms=["PSL"],
         kind="sport_league", country="PAK"),
    dict(id="org:ipl", name="Indian Premier League", acronyms=["IPL"],
         kind="sport_league", country="IND"),
]

# Entities whose names are ordinary words when not capitalised exactly
# ("Global fund managers ...", "Union state ..."): matched in exact case.
EXACT_CASE = {
    "org:global-fund", "org:global-coalition-isis", "org:union-state",
    "org:energy-community", "org:unsc", "org:paris-club", "org:five-eyes",
    "org:statistical-commission", "org:pacific-alliance",
}

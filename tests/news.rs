//! Edge cases of news text with the built-in gazetteers, as a table: what
//! must be found, and what must not. Each row is a class of sentence that
//! once went wrong; the sentences are made up.

use gaztag::{GazetteerSet, Tagger};

fn tagger() -> Tagger {
    let set = GazetteerSet::builtin().expect("built-ins are valid");
    Tagger::new(&set).unwrap()
}

/// `(text, [(mention text, entity id)], [ids that must not be found])`.
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

const CASES: &[Case] = &[
    // A sentence end breaks a name run: the country opening the next
    // sentence is kept.
    ("Talks ended on Monday. Kenya is next.", &[("Kenya", "KEN")], &[]),
    (
        "The deal was signed with France. Chad is the last Sahel country to join.",
        &[("France", "FRA"), ("Chad", "TCD")],
        &[],
    ),
    (
        "He met Mr Brown in London. Iran rejected the plan.",
        &[("Iran", "IRN")],
        &[],
    ),
    ("They met in Berlin! Peru said no.", &[("Peru", "PER")], &[]),
    ("Was it Berlin? Peru said no.", &[("Peru", "PER")], &[]),
    ("He said “we met in Oslo.” Chile said no.", &[("Chile", "CHL")], &[]),
    ("They met in Oslo\nChile said no.", &[("Chile", "CHL")], &[]),
    // Clubs with a place in their name are the club, never the place.
    (
        "Real Madrid beat Sevilla.",
        &[("Real Madrid", "team:real-madrid")],
        &["city:ESP:madrid"],
    ),
    (
        "Fans of Atletico Madrid cheered.",
        &[("Atletico Madrid", "team:atletico-madrid")],
        &["city:ESP:madrid"],
    ),
    (
        "Inter Milan and Paris Saint-Germain drew.",
        &[("Paris Saint-Germain", "team:paris-saint-germain")],
        &["city:ITA:milan", "city:FRA:paris"],
    ),
    (
        "Manchester United signed a striker from Dynamo Kyiv.",
        &[],
        &["city:UKR:kyiv", "city:GBR:manchester"],
    ),
    ("Bayern Munich lost to Boca Juniors.", &[], &["city:DEU:munich"]),
    // An unknown club of the same shape does not yield the place either.
    (
        "Real Oviedo and Dynamo Minsk played in the rain.",
        &[],
        &["city:BLR:minsk"],
    ),
    // A town named after a foreign place, written "<town>, <state>".
    (
        "Police in Jordan, Minnesota said the road was closed.",
        &[("Minnesota", "region:us-minnesota")],
        &["JOR"],
    ),
    ("Lebanon, Ohio held a parade.", &[("Ohio", "region:us-ohio")], &["LBN"]),
    (
        "He grew up in Paris, Texas, and left.",
        &[("Texas", "region:us-texas")],
        &["city:FRA:paris"],
    ),
    (
        "Students in Athens, Georgia protested.",
        &[("Georgia", "region:us-georgia")],
        &["GEO", "city:GRC:athens"],
    ),
    (
        "A fire in Moscow, Idaho.",
        &[("Idaho", "region:us-idaho")],
        &["city:RUS:moscow"],
    ),
    (
        "Police in Jordan, Minn., said",
        &[("Minn.", "region:us-minnesota")],
        &["JOR"],
    ),
    (
        "A plant in Lebanon, TN closed.",
        &[("TN", "region:us-tennessee")],
        &["LBN"],
    ),
    (
        "London, Ontario is quiet.",
        &[("Ontario", "region:ca-ontario")],
        &["city:GBR:london"],
    ),
    (
        "Atlanta, Georgia is hot.",
        &[("Atlanta", "city:USA:atlanta"), ("Georgia", "region:us-georgia")],
        &["GEO"],
    ),
    (
        "Tbilisi, Georgia is cold.",
        &[("Georgia", "GEO")],
        &["region:us-georgia"],
    ),
    // A list of places is not a town and its state.
    (
        "Leaders from Mexico, Texas and California met.",
        &[("Mexico", "MEX"), ("Texas", "region:us-texas")],
        &[],
    ),
    // First-level subdivisions (ISO 3166-2) are regions of their country;
    // names shared with a country, a city or an ordinary word are written
    // qualified.
    ("Floods hit Maharashtra.", &[("Maharashtra", "region:maharashtra")], &[]),
    (
        "Voters in Bavaria and North Rhine-Westphalia went to the polls.",
        &[
            ("Bavaria", "region:DE-BY"),
            ("North Rhine-Westphalia", "region:DE-NW"),
        ],
        &[],
    ),
    (
        "Factories in Sichuan province closed; Guangdong was spared.",
        &[("Sichuan province", "region:CN-SC"), ("Guangdong", "region:CN-GD")],
        &[],
    ),
    (
        "Gunmen attacked a village in Niger State.",
        &[("Niger State", "region:NG-NI")],
        &["NER"],
    ),
    (
        "The governor of the State of Mexico spoke.",
        &[("State of Mexico", "region:MX-MEX")],
        &["MEX"],
    ),
    (
        "Police in Lagos arrested two men.",
        &[("Lagos", "city:NGA:lagos")],
        &["region:NG-LA"],
    ),
    (
        "Farmers in Punjab protested.",
        &[("Punjab", "region:punjab")],
        &["region:IN-PB", "region:PK-PB"],
    ),
    (
        "Delta flights were delayed by rain in the Rivers region.",
        &[],
        &["region:NG-DE", "region:NG-RI"],
    ),
    // A subdivision with an ISO 3166-2 code is a state for `<town>,
    // <state>`, whatever its kind (here a German Land).
    (
        "A fair in Paris, Bavaria drew crowds.",
        &[("Bavaria", "region:DE-BY")],
        &["city:FRA:paris"],
    ),
    (
        "Wildfires spread in Catalonia and Andalusia.",
        &[("Catalonia", "region:ES-CT"), ("Andalusia", "region:ES-AN")],
        &["ESP"],
    ),
    // Seas named after a country are places of their own.
    (
        "Missiles fell into the Sea of Japan.",
        &[("Sea of Japan", "region:sea-of-japan")],
        &["JPN"],
    ),
    (
        "Tankers crossed the Gulf of Oman.",
        &[("Gulf of Oman", "region:gulf-of-oman")],
        &["OMN"],
    ),
    // A body named after another country is not the US one.
    (
        "South Korea's Joint Chiefs of Staff said the missile flew east.",
        &[("South Korea's Joint Chiefs of Staff", "org:jcs-korea")],
        &["org:joint-chiefs"],
    ),
    (
        "The Indian Congress voted on the bill.",
        &[("Indian", "IND")],
        &["org:us-congress"],
    ),
    (
        "The Joint Chiefs of Staff met in Washington.",
        &[("Joint Chiefs of Staff", "org:joint-chiefs")],
        &[],
    ),
    // A place inside the name of an organisation, event or product.
    ("Radio Canada reported the vote.", &[], &["CAN"]),
    ("Team Estonia finished fourth.", &[], &["EST"]),
    ("Canada Steel shares fell.", &[], &["CAN"]),
    ("Fan Expo Canada drew crowds.", &[], &["CAN"]),
    ("She won the Singapore Open on Sunday.", &[], &["SGP"]),
    ("The USA II sled crashed.", &[], &["USA"]),
    ("The Board of Trade of India met.", &[], &["IND"]),
    ("A Council for Trade of Kenya was set up.", &[], &["KEN"]),
    // ...but not a place after a preposition, or beside a known name.
    ("Trade with India grew.", &[("India", "IND")], &[]),
    ("The people of India voted.", &[("India", "IND")], &[]),
    // A place in a title or a currency sign.
    (
        "US President Joe Biden arrived.",
        &[("Joe Biden", "person:joe-biden")],
        &["USA"],
    ),
    ("The fee was US$ 20,000.", &[], &["USA"]),
    (
        "In Turkey Minister Ellwood met the opposition.",
        &[("Turkey", "TUR")],
        &[],
    ),
    (
        "The Iraqi Prime Minister Mohammed Shia al-Sudani spoke.",
        &[("Iraqi", "IRQ")],
        &[],
    ),
    // A place name that is a person's name.
    ("Michael Chad was arrested.", &[], &["TCD"]),
    ("Reporters asked Bill Jordan about it.", &[], &["JOR"]),
    ("Jordan Henderson scored.", &[], &["JOR"]),
    ("Jordan said no.", &[("Jordan", "JOR")], &[]),
    // A dotted abbreviation without its last period.
    ("Officials in the U.S said no.", &[("U.S", "USA")], &[]),
    ("Talks with the U.K ended.", &[("U.K", "GBR")], &[]),
    // A town before its country without a comma: the country stays.
    ("He lived in Lillehammer Norway for years.", &[("Norway", "NOR")], &[]),
    // ...but an everyday word before it makes a name.
    ("The Tata Motors India unit grew.", &[], &["IND"]),
];

#[test]
fn news_edge_cases() {
    let t = tagger();
    let mut failures = Vec::new();
    for &(text, want, not) in CASES {
        let tags = t.tag(text);
        let found: Vec<(&str, &str)> = tags
            .mentions
            .iter()
            .map(|m| {
                (&text[m.start..m.end], t.entities()[m.entity].id.as_str())
            })
            .collect();
        for w in want {
            if !found.contains(w) {
                failures.push(format!("{text:?}: missing {w:?} in {found:?}"));
            }
        }
        for id in not {
            if found.iter().any(|(_, f)| f == id) {
                failures.push(format!("{text:?}: unwanted {id} in {found:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `(text, [(mention text, entity id, via)])`: every mention of the text,
/// with how it was found.
type ViaCase =
    (&'static str, &'static [(&'static str, &'static str, &'static str)]);

/// Demonyms, acronyms and former names of the built-in countries, and
/// the former countries.
const FORMS: &[ViaCase] = &[
    (
        "Afghan officials met Afghans in Afghanistan.",
        &[
            ("Afghan", "AFG", "demonym"),
            ("Afghans", "AFG", "demonym"),
            ("Afghanistan", "AFG", "name"),
        ],
    ),
    (
        "The UAE and the DRC wrote to the U.S. and the UK.",
        &[
            ("UAE", "ARE", "abbreviation"),
            ("DRC", "COD", "abbreviation"),
            ("U.S.", "USA", "abbreviation"),
            ("UK", "GBR", "abbreviation"),
        ],
    ),
    (
        "Burma, Zaire and Swaziland changed their names.",
        &[
            ("Burma", "MMR", "former"),
            ("Zaire", "COD", "former"),
            ("Swaziland", "SWZ", "former"),
        ],
    ),
    (
        "The Soviet Union, the USSR, Soviet troops.",
        &[
            ("Soviet Union", "SUHH", "name"),
            ("USSR", "SUHH", "abbreviation"),
            ("Soviet", "SUHH", "demonym"),
        ],
    ),
    (
        "Yugoslavia and Czechoslovakia broke up; Yugoslav and Czechoslovak passports.",
        &[
            ("Yugoslavia", "YUCS", "name"),
            ("Czechoslovakia", "CSHH", "name"),
            ("Yugoslav", "YUCS", "demonym"),
            ("Czechoslovak", "CSHH", "demonym"),
        ],
    ),
    (
        "East Germany (the GDR) joined West Germany in 1990.",
        &[
            ("East Germany", "DDDE", "name"),
            ("GDR", "DDDE", "abbreviation"),
            ("West Germany", "DEU", "former"),
        ],
    ),
    (
        "The Federal Republic of Yugoslavia became Serbia and Montenegro.",
        &[
            ("Federal Republic of Yugoslavia", "CSXX", "former"),
            ("Serbia and Montenegro", "CSXX", "name"),
        ],
    ),
];

#[test]
fn demonyms_acronyms_and_former_names() {
    let t = tagger();
    let mut failures = Vec::new();
    for &(text, want) in FORMS {
        let tags = t.tag(text);
        let found: Vec<(&str, &str, &str)> = tags
            .mentions
            .iter()
            .map(|m| {
                let e = &t.entities()[m.entity];
                (&text[m.start..m.end], e.id.as_str(), m.via.as_str())
            })
            .collect();
        if found != want {
            failures
                .push(format!("{text:?}:\n  got  {found:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Former countries are countries with a status, a period and successor
/// states that are countries of the built-ins.
#[test]
fn former_countries_have_period_and_successors() {
    let t = tagger();
    let ids: Vec<&str> = t.entities().iter().map(|e| e.id.as_str()).collect();
    let former: Vec<_> = t
        .entities()
        .iter()
        .filter(|e| e.attributes.get("status").is_some_and(|s| s == "former"))
        .collect();
    assert!(former.len() >= 8, "{}", former.len());
    for e in &former {
        assert_eq!(e.kind, "country", "{}", e.id);
        assert_eq!(e.id.len(), 4, "{}: an ISO 3166-3 alpha-4 code", e.id);
        let period = &e.attributes["period"];
        assert!(period.len() == 9 && period.as_bytes()[4] == b'-', "{period}");
        for s in e.attributes["successors"].split('|') {
            assert!(ids.contains(&s), "{}: unknown successor {s}", e.id);
        }
    }
    let suhh = former.iter().find(|e| e.id == "SUHH").unwrap();
    assert_eq!(suhh.attributes["period"], "1922-1991");
    assert!(suhh.attributes["successors"].contains("RUS"));
    assert!(suhh.attributes["successors"].contains("UKR"));
    let cshh = former.iter().find(|e| e.id == "CSHH").unwrap();
    assert_eq!(cshh.attributes["successors"], "CZE|SVK");
}

/// `(text, [(mention text, entity id, inside_name, enclosing text)])`:
/// every mention with `--keep-inside-names`; without it, the same less
/// the `inside_name` rows.
type NestedCase = (
    &'static str,
    &'static [(&'static str, &'static str, bool, &'static str)],
);

/// Places inside longer names, known (built-in organisations, clubs) or
/// not (a capitalised run).
const NESTED: &[NestedCase] = &[
    (
        "the United States Navy said",
        &[
            ("United States Navy", "org:us-navy", false, ""),
            ("United States", "USA", true, "United States Navy"),
        ],
    ),
    (
        "The Pakistan Cricket Board met.",
        &[
            ("Pakistan Cricket Board", "org:pcb", false, ""),
            ("Pakistan", "PAK", true, "Pakistan Cricket Board"),
        ],
    ),
    (
        "The State Bank of Pakistan raised rates.",
        &[
            ("State Bank of Pakistan", "org:sbp", false, ""),
            ("Pakistan", "PAK", true, "State Bank of Pakistan"),
        ],
    ),
    (
        "Real Madrid beat Sevilla.",
        &[
            ("Real Madrid", "team:real-madrid", false, ""),
            ("Madrid", "city:ESP:madrid", true, "Real Madrid"),
        ],
    ),
    (
        "Fans of Dynamo Minsk cheered.",
        &[("Minsk", "city:BLR:minsk", true, "Dynamo Minsk")],
    ),
    (
        "Tehreek-e-Taliban Pakistan claimed it.",
        &[
            ("Tehreek-e-Taliban Pakistan", "group:ttp", false, ""),
            ("Pakistan", "PAK", true, "Tehreek-e-Taliban Pakistan"),
        ],
    ),
    // A place inside another place's name is another place: not kept.
    (
        "the Democratic Republic of the Congo and New Mexico",
        &[
            ("Democratic Republic of the Congo", "COD", false, ""),
            ("New Mexico", "region:us-new-mexico", false, ""),
        ],
    ),
];

#[test]
fn places_inside_longer_names() {
    let set = GazetteerSet::builtin().expect("built-ins are valid");
    let mut failures = Vec::new();
    for keep in [false, true] {
        let t = Tagger::builder().keep_inside_names(keep).build(&set).unwrap();
        for &(text, want) in NESTED {
            let chars: Vec<char> = text.chars().collect();
            let slice = |(s, e): (usize, usize)| {
                chars[s..e].iter().collect::<String>()
            };
            let found: Vec<(String, &str, bool, String)> = t
                .tag(text)
                .mentions
                .iter()
                .map(|m| {
                    (
                        slice((m.char_start, m.char_end)),
                        t.entities()[m.entity].id.as_str(),
                        m.inside_name,
                        m.enclosing_chars.map(slice).unwrap_or_default(),
                    )
                })
                .collect();
            let want: Vec<(String, &str, bool, String)> = want
                .iter()
                .filter(|w| keep || !w.2)
                .map(|&(a, b, c, d)| (a.to_string(), b, c, d.to_string()))
                .collect();
            if found != want {
                failures.push(format!(
                    "{text:?} keep={keep}:\n  got  {found:?}\n  want {want:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! Coverage of the built-in gazetteers: the facts a news desk relies on.

use std::collections::HashSet;

use gaztag::{GazetteerSet, Tagger};

fn builtin() -> GazetteerSet {
    GazetteerSet::builtin().expect("built-in gazetteers are valid")
}

/// Every ISO 3166-1 alpha-3 code is a country id. The list comes from
/// the reference data when it is beside the repository, so a country
/// dropped from the gazetteer is noticed; the count is checked always.
#[test]
fn every_iso_country_is_present() {
    let set = builtin();
    let ids: HashSet<&str> = set
        .entities()
        .iter()
        .filter(|e| e.kind == "country")
        .map(|e| e.id.as_str())
        .collect();
    let iso: Vec<&str> = set
        .entities()
        .iter()
        .filter(|e| e.kind == "country" && e.attributes.contains_key("iso2"))
        .map(|e| e.id.as_str())
        .collect();
    assert!(iso.len() >= 249, "{} countries with ISO codes", iso.len());
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/countries/debian_iso_codes/iso_3166-1.json");
    if let Ok(text) = std::fs::read_to_string(&reference) {
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let list = json["3166-1"].as_array().unwrap();
        assert_eq!(list.len(), 249);
        for c in list {
            let a3 = c["alpha_3"].as_str().unwrap();
            assert!(ids.contains(a3), "{a3} missing");
        }
    }
}

/// At least 95% of countries have a demonym among their demonyms (and
/// none left among the aliases), and every country's capital is a city of
/// the built-ins.
#[test]
fn demonyms_and_capitals() {
    let set = builtin();
    let countries: Vec<_> =
        set.entities().iter().filter(|e| e.kind == "country").collect();
    let with_demonym = countries
        .iter()
        .filter(|e| {
            e.attributes
                .get("demonym")
                .is_some_and(|d| e.demonyms.iter().any(|a| a == d))
        })
        .count();
    for e in &countries {
        for d in &e.demonyms {
            assert!(!e.aliases.contains(d), "{}: {d} is an alias too", e.id);
        }
    }
    assert!(
        with_demonym * 100 >= countries.len() * 95,
        "{with_demonym} of {} countries have a demonym",
        countries.len()
    );
    let cities: HashSet<(&str, &str)> = set
        .entities()
        .iter()
        .filter(|e| e.kind == "city")
        .filter_map(|e| {
            Some((e.attributes.get("country")?.as_str(), e.id.as_str()))
        })
        .collect();
    let city_countries: HashSet<&str> = cities.iter().map(|c| c.0).collect();
    for c in &countries {
        if c.attributes.get("capital").is_some_and(|cap| !cap.is_empty()) {
            assert!(
                city_countries.contains(c.id.as_str()),
                "no city for the capital of {}",
                c.id
            );
        }
    }
}

/// The seed domain, tagged as a news desk expects.
#[test]
fn seed_domain_is_known() {
    let set = builtin();
    let tagger = Tagger::new(&set).unwrap();
    let text = "WASHINGTON — Pakistani officials met the US State Department \
                spokesperson Vedant Patel. Sardar Masood Khan, Pakistan’s envoy, \
                discussed the Tehrik-i-Taliban Pakistan (TTP) and Kabul, Islamabad \
                and Beijing. Later Patel said the IMF and the Pakistani Taliban came up.";
    let found: HashSet<(String, String)> = tagger
        .tag(text)
        .mentions
        .iter()
        .map(|m| {
            (
                text[m.start..m.end].to_string(),
                tagger.entities()[m.entity].id.clone(),
            )
        })
        .collect();
    for (t, id) in [
        ("WASHINGTON", "city:USA:washington"),
        ("Pakistani", "PAK"),
        ("US State Department", "org:us-state-department"),
        ("Vedant Patel", "person:vedant-patel"),
        ("Sardar Masood Khan", "person:sardar-masood-khan"),
        ("Pakistan", "PAK"),
        ("Tehrik-i-Taliban Pakistan", "group:ttp"),
        ("TTP", "group:ttp"),
        ("Kabul", "city:AFG:kabul"),
        ("Islamabad", "city:PAK:islamabad"),
        ("Beijing", "city:CHN:beijing"),
        ("Patel", "person:vedant-patel"),
        ("IMF", "org:imf"),
        ("Pakistani Taliban", "group:ttp"),
    ] {
        assert!(
            found.contains(&(t.to_string(), id.to_string())),
            "{t} -> {id} not in {found:?}"
        );
    }
    let cities = set.entities().iter().filter(|e| e.kind == "city");
    let washington =
        cities.clone().find(|e| e.id == "city:USA:washington").unwrap();
    assert_eq!(washington.attributes["country"], "USA");
}

/// Ambiguous names are handled by the data and the case rules.
#[test]
fn ambiguous_names() {
    let set = builtin();
    let tagger = Tagger::new(&set).unwrap();
    let ids = |text: &str| -> Vec<String> {
        tagger
            .tag(text)
            .mentions
            .iter()
            .map(|m| tagger.entities()[m.entity].id.clone())
            .collect()
    };
    assert!(ids("we ate roast turkey and china plates; let us go").is_empty());
    assert_eq!(ids("Turkey and China"), ["TUR", "CHN"]);
    assert_eq!(ids("Niger and Nigeria"), ["NER", "NGA"]);
    assert!(ids("Paris Hilton").iter().all(|id| id != "city:FRA:paris"));
    assert!(
        !ids("fans of Real Madrid").iter().any(|id| id.starts_with("city:"))
    );
}

/// Every first-level subdivision (an entity with an `iso_3166_2` code)
/// names a known country, the one its code starts with, and the large
/// countries have all of theirs.
#[test]
fn subdivisions_have_codes_and_countries() {
    let set = builtin();
    let iso2: std::collections::HashMap<&str, &str> = set
        .entities()
        .iter()
        .filter(|e| e.kind == "country")
        .filter_map(|e| {
            Some((e.attributes.get("iso2")?.as_str(), e.id.as_str()))
        })
        .collect();
    let mut per_country: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::new();
    let mut codes = HashSet::new();
    for e in set.entities() {
        let Some(code) = e.attributes.get("iso_3166_2") else {
            continue;
        };
        assert_eq!(e.kind, "region", "{}", e.id);
        assert!(codes.insert(code.as_str()), "{code} twice");
        let (a2, rest) = code.split_once('-').expect("code is XX-YYY");
        assert!(!rest.is_empty(), "{code}");
        let country = e.attributes.get("country").map(String::as_str);
        assert_eq!(country, iso2.get(a2).copied(), "{}: {code}", e.id);
        assert!(e.attributes.get("kind").is_some_and(|k| !k.is_empty()));
        *per_country.entry(country.unwrap()).or_default() += 1;
    }
    for (a3, n) in [
        ("USA", 50),
        ("IND", 36),
        ("DEU", 14),
        ("CHN", 31),
        ("BRA", 26),
        ("JPN", 47),
        ("TUR", 81),
        ("NGA", 37),
        ("CAN", 13),
        ("AUS", 8),
    ] {
        assert_eq!(per_country.get(a3).copied(), Some(n), "{a3}");
    }
    let mh = set.entities().iter().find(|e| e.id == "region:maharashtra");
    let mh = mh.expect("Maharashtra");
    assert_eq!(mh.attributes["iso_3166_2"], "IN-MH");
    assert_eq!(mh.attributes["country"], "IND");
}

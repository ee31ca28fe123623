//! The parameter table and the typed settings it builds: links, notices, defaults per lab.

use distill_core::OptimizerKind;
use distill_core::params::{Params, TABLE, Value, applies_to};
use distill_core::run_spec::{BackendChoice, Scenario, ScenarioSpec};

#[test]
fn defaults_give_an_empty_link() {
    let (params, notices) = Params::from_query("");
    assert_eq!(params, Params::default());
    assert!(notices.is_empty());
    assert_eq!(params.to_query(), "");
}

#[test]
fn valid_values_round_trip_through_the_link() {
    let query = "dataset=moons&seed=7&temperature=2.5&hidden=32,16&backend=cpu&autoplay=1";
    let (params, notices) = Params::from_query(&format!("?{query}"));
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(params.to_query(), query);
    assert_eq!(params.hidden, vec![32, 16]);
    assert_eq!(Params::from_query(&params.to_query()).0, params);
}

#[test]
fn bad_values_are_clamped_or_replaced_with_a_notice() {
    let (params, notices) =
        Params::from_query("alpha=7&temperature=hot&lr=NaN&batch=2.5&hidden=0,x&optimizer=&seed=-4");
    assert_eq!(params.alpha, 1.0);
    assert_eq!(params.temperature, 4.0);
    assert_eq!(params.lr, 0.03);
    assert_eq!(params.batch, 32);
    assert_eq!(params.hidden, vec![16]);
    assert_eq!(params.optimizer, OptimizerKind::Adam);
    assert_eq!(params.seed, 0);
    assert_eq!(notices.len(), 7, "{notices:?}");
}

#[test]
fn unknown_and_repeated_keys_give_notices_and_the_last_value_counts() {
    let (params, notices) = Params::from_query("seed=3&seed=9&colour=red");
    assert_eq!(params.seed, 9);
    assert_eq!(notices.len(), 2, "{notices:?}");
}

#[test]
fn huge_and_hostile_values_never_panic() {
    for raw in ["1e400", "-1e400", "%ZZ", "\u{1F600}", &"9".repeat(5000), "0x10", " 3 ", "+-1"] {
        for spec in TABLE {
            let (params, _) = Params::from_query(&format!("{}={}", spec.name, raw));
            let _ = params.to_query();
            let _ = params.run_spec();
        }
    }
}

#[test]
fn a_digits_link_starts_from_the_digits_defaults_and_stays_short() {
    let (params, notices) = Params::from_query("lr=0.002&scenario=digits");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(params.hidden, vec![64]);
    assert_eq!(params.batch, 128);
    assert_eq!(params.lr, 0.002);
    assert_eq!(params.to_query(), "scenario=digits&lr=0.002");
    assert_eq!(Params::from_query(&params.to_query()).0, params);
}

#[test]
fn switching_labs_moves_defaults_and_keeps_changes() {
    let mut params = Params::default();
    params.set("batch", "16");
    params.set("scenario", "digits");
    assert_eq!(params.hidden, vec![64]);
    assert_eq!(params.batch, 16);
    assert_eq!(params.to_query(), "scenario=digits&batch=16");
    params.set("scenario", "shapes");
    assert_eq!(params.hidden, vec![16]);
    assert_eq!(params.to_query(), "batch=16");
    assert!(applies_to("omit", Scenario::Digits) && !applies_to("omit", Scenario::Shapes));
    assert!(applies_to("dataset", Scenario::Shapes) && !applies_to("dataset", Scenario::Digits));
}

#[test]
fn picking_a_two_class_dataset_takes_the_class_count_with_it() {
    let mut params = Params::default();
    params.set("classes", "4");
    assert!(params.set("dataset", "moons").is_some_and(|n| n.contains("2 classes")));
    assert_eq!(params.classes, 2);
    assert!(params.set("classes", "3").is_some());
    assert_eq!(params.classes, 2);
}

#[test]
fn a_left_out_digit_means_nothing_in_the_2d_lab() {
    let (params, _) = Params::from_query("omit=1");
    assert_eq!(params.run_spec().session.omit, None);
    let (params, _) = Params::from_query("scenario=digits&omit=1");
    assert_eq!(params.run_spec().session.omit, Some(1));
}

#[test]
fn two_class_datasets_refuse_more_classes() {
    let (params, notices) = Params::from_query("dataset=moons&classes=4");
    assert_eq!(params.classes, 2);
    assert_eq!(notices.len(), 1);
}

#[test]
fn every_row_of_the_table_is_a_typed_setting_and_every_option_parses() {
    let params = Params::default();
    for spec in TABLE {
        assert!(params.value(spec.name).is_some(), "{} has no field", spec.name);
        if let distill_core::params::Kind::Choice { options, .. } = spec.kind {
            for option in options {
                let mut changed = Params::default();
                assert_eq!(changed.set(spec.name, option), None, "{}={option}", spec.name);
                assert_eq!(changed.value(spec.name), Some(Value::Choice(option.to_string())), "{}={option}", spec.name);
            }
        }
    }
    assert_eq!(params.value("no_such_setting"), None);
    assert!(Params::default().set("no_such_setting", "1").is_some());
}

#[test]
fn the_run_spec_holds_what_a_run_depends_on_and_nothing_of_the_view() {
    let (params, _) = Params::from_query("scenario=digits&backend=cpu&lr=0.01&dk_digit=3&embed=1&debug=lose-gpu");
    let spec = params.run_spec();
    assert_eq!(spec.scenario, ScenarioSpec::Digits);
    assert_eq!((spec.backend, spec.session.learning_rate, spec.max_steps), (BackendChoice::Cpu, 0.01, 3000));
    assert!(spec.hooks.lose_gpu);
    assert!(!spec.hooks.bad_drawing);
    assert!(Params::from_query("debug=bad-drawing").0.run_spec().hooks.bad_drawing);
    let (same_run, _) = Params::from_query("scenario=digits&backend=cpu&lr=0.01&dk_digit=9&tour=1&debug=lose-gpu");
    assert_eq!(same_run.run_spec(), spec);
    assert_ne!(Params::from_query("scenario=digits&backend=cpu&lr=0.02").0.run_spec(), spec);
}

#[test]
fn hide_keeps_known_panels_and_settings_and_names_the_unknown_ones() {
    let (params, notices) = Params::from_query("hide=settings, Temperature,nonsense,settings");
    assert_eq!(params.hide, vec!["settings".to_string(), "temperature".to_string()]);
    assert!(params.hides("settings") && params.hides("temperature") && !params.hides("maps"));
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("nonsense"), "{notices:?}");
    assert_eq!(params.to_query(), "hide=settings,temperature");
    // Page modes and hooks are not settings a panel shows, so they cannot be hidden.
    let (params, notices) = Params::from_query("hide=debug");
    assert!(params.hide.is_empty() && notices.len() == 1);
}

#[test]
fn the_link_always_names_its_seed() {
    assert_eq!(Params::default().link_query(), "seed=1");
    let (params, _) = Params::from_query("scenario=digits&theme=dark");
    assert_eq!(params.link_query(), "scenario=digits&theme=dark&seed=1");
    let (params, _) = Params::from_query("seed=7&lr=0.01");
    assert_eq!(params.link_query(), "seed=7&lr=0.01");
    assert_eq!(Params::from_query(&params.link_query()).0, params);
}

#[test]
fn switches_are_booleans_that_read_the_usual_words_and_write_1() {
    let (params, notices) = Params::from_query("autoplay=true&embed=on&present=0&tour=yes");
    assert!(notices.is_empty(), "{notices:?}");
    assert!(params.autoplay && params.embed && !params.present && params.tour);
    assert!(params.to_query().contains("autoplay=1"), "{}", params.to_query());
    let (params, notices) = Params::from_query("autoplay=2");
    assert!(!params.autoplay);
    assert_eq!(notices.len(), 1, "{notices:?}");
}

/// Hostile links by the thousand (the browser suite opens a few dozen of them end to end): every
/// one parses without a panic, builds a run, and the link the page then writes is a fixed point
/// that reads back to the same settings with no notice.
#[test]
fn thousands_of_random_hostile_links_settle_on_a_clean_link() {
    const VALUES: &[&str] = &[
        "",
        "0",
        "-1",
        "-0",
        "1e400",
        "-1e400",
        "1e308",
        "NaN",
        "Infinity",
        "-Infinity",
        "0x1F",
        "1,2,3",
        "64,64,64,64",
        "0,0",
        ",",
        "3.5",
        ".5",
        "5.",
        "+7",
        "--1",
        "true",
        "null",
        "spiral",
        "digits",
        "queries",
        "webgpu",
        "cpu",
        "%ZZ",
        "%00",
        "%E2%80%AE",
        "%F0%9F%98%80",
        "ñandú",
        "%3Cscript%3E",
        "it's",
        "%204%20",
        "1%26alpha%3D2",
        "64%2C32",
        "top",
        "label",
        "full",
        "banana",
        "11",
        "1e9",
    ];
    let mut keys: Vec<&str> = TABLE.iter().map(|spec| spec.name).collect();
    keys.extend(["", "__proto__", "colour", "debug", "hide"]);
    let mut state = 2025u32;
    let mut pick = |n: usize| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (state >> 8) as usize % n
    };
    for _ in 0..5000 {
        let pairs: Vec<String> =
            (0..1 + pick(6)).map(|_| format!("{}={}", keys[pick(keys.len())], VALUES[pick(VALUES.len())])).collect();
        let query = pairs.join("&");
        let (params, _) = Params::from_query(&query);
        let _ = params.run_spec();
        let link = params.to_query();
        let (again, notices) = Params::from_query(&link);
        assert!(notices.is_empty(), "?{query} wrote ?{link}, which reads with notices {notices:?}");
        assert_eq!(again, params, "?{query} wrote ?{link}, which reads back differently");
        assert_eq!(again.to_query(), link, "?{query}: the written link is not a fixed point");
    }
}

#[test]
fn bad_answers_and_top_k_get_a_notice_and_a_sane_value() {
    use distill_core::{AnswerKind, Answers};
    for (query, answers) in [
        ("answers=banana", Answers::Full),
        ("answers=top&top_k=0", Answers::Top(1)),
        ("answers=top&top_k=11", Answers::Top(10)),
        ("answers=top&top_k=-1", Answers::Top(1)),
        ("answers=top&top_k=1e9", Answers::Top(10)),
    ] {
        let (params, notices) = Params::from_query(query);
        assert_eq!(notices.len(), 1, "?{query}: {notices:?}");
        assert_eq!(params.run_spec().session.answers, answers, "?{query}");
    }
    let (params, notices) = Params::from_query("answers=label&top_k=5");
    assert!(notices.is_empty());
    assert_eq!((params.answers, params.run_spec().session.answers), (AnswerKind::Label, Answers::Label));
}

#[test]
fn settings_that_do_nothing_under_the_answers_say_why() {
    let note = |query: &str, name: &str| Params::from_query(query).0.setting_note(name);
    let labels = note("answers=label", "temperature").expect("T does nothing with labels alone");
    assert!(labels.inactive && labels.text.contains("do not apply"), "{labels:?}");
    assert!(note("answers=label", "alpha").unwrap().inactive);
    assert!(note("answers=top&transfer=train", "temperature").is_none());
    assert!(note("transfer=train", "alpha").is_none());
    assert!(note("transfer=queries", "alpha").unwrap().inactive, "in API mode α is 1");
    assert!(note("", "top_k").unwrap().inactive, "top_k is for answers=top");
    // Two classes: the top one's probability gives the other's.
    let two_classes = note("answers=top&top_k=1", "top_k").unwrap();
    assert!(!two_classes.inactive && two_classes.text.contains("same as answers=full"), "{two_classes:?}");
    assert!(note("scenario=digits&answers=top&top_k=3", "top_k").is_none());
    assert!(note("scenario=digits&answers=top&top_k=9", "top_k").unwrap().text.contains("same as answers=full"));
    for query in ["", "answers=top", "answers=label"] {
        assert!(!note(query, "answers").unwrap().inactive);
    }
}

#[test]
fn a_prompt_and_its_temperature_round_trip_through_the_link_and_a_long_one_keeps_its_end() {
    let mut params = Params::for_scenario(Scenario::Text);
    assert_eq!(params.to_query(), "scenario=text", "the default prompt and temperature stay out of the link");
    let prompt = "Romeo.\nWhat, & who = you?  😀\n";
    params.prompt = prompt.into();
    params.set("sample_t", "1.5");
    let (linked, notices) = Params::from_query(&params.link_query());
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!((linked.prompt.as_str(), linked.sample_t), (prompt, 1.5));
    assert_eq!(linked, params);
    let long = format!("{}THE END", "x".repeat(5_000));
    let (params, notices) = Params::from_query(&format!("scenario=text&prompt={long}&sample_t=9"));
    assert_eq!(params.prompt.chars().count(), 1_000);
    assert!(params.prompt.ends_with("THE END"), "the models continue a prompt from its end");
    assert_eq!(params.sample_t, 2.0);
    assert_eq!(notices.len(), 2, "{notices:?}");
    // Empty is a prompt too: the models then continue the default one (`text_lab::prompt`).
    assert_eq!(Params::from_query("scenario=text&prompt=").0.prompt, "");
}

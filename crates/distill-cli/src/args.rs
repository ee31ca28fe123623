//! Flags as `--name value` pairs. Names may use `-` or `_` (`--max-steps` is `max_steps`), matching
//! the page's URL parameters.

/// The flags in order, names normalised to the URL's spelling.
pub fn pairs(args: impl IntoIterator<Item = String>) -> Result<Vec<(String, String)>, String> {
    pairs_and_switches(args, &[])
}

/// Like [`pairs`], except that the flags named in `switches` stand alone (`--evaluate`), each
/// paired with an empty value.
pub fn pairs_and_switches(
    args: impl IntoIterator<Item = String>,
    switches: &[&str],
) -> Result<Vec<(String, String)>, String> {
    let mut args = args.into_iter();
    let mut pairs = Vec::new();
    while let Some(arg) = args.next() {
        let Some(name) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument “{arg}”: flags look like --name value"));
        };
        let (name, value) = match name.split_once('=') {
            Some((name, _)) if switches.contains(&name.replace('-', "_").as_str()) => {
                return Err(format!("--{name} takes no value"));
            }
            Some((name, value)) => (name.to_string(), value.to_string()),
            None if switches.contains(&name.replace('-', "_").as_str()) => (name.to_string(), String::new()),
            None => {
                let value = args.next().ok_or_else(|| format!("--{name} needs a value"))?;
                (name.to_string(), value)
            }
        };
        pairs.push((name.replace('-', "_"), value));
    }
    Ok(pairs)
}

/// The process's end: success, or the tool's name and the message on stderr with exit status 2.
pub fn finish(tool: &str, result: Result<(), String>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{tool}: {message}");
            std::process::ExitCode::from(2)
        }
    }
}

/// Parses one flag's value, or says which flag was wrong and why.
pub fn parse<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e| format!("--{name} {value}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn both_spellings_and_equals_signs_are_read() {
        let pairs = pairs(strings(&["--max-steps", "20", "--lr=0.1", "--csv", "out.csv"])).unwrap();
        assert_eq!(pairs, [("max_steps", "20"), ("lr", "0.1"), ("csv", "out.csv")].map(|(a, b)| (a.into(), b.into())));
    }

    #[test]
    fn a_switch_stands_alone_and_takes_no_value() {
        let read = pairs_and_switches(strings(&["--evaluate", "--student", "s.bpk"]), &["evaluate"]).unwrap();
        assert_eq!(read, [("evaluate", ""), ("student", "s.bpk")].map(|(a, b)| (a.into(), b.into())));
        assert!(pairs_and_switches(strings(&["--evaluate=1"]), &["evaluate"]).is_err());
        // Elsewhere it is an ordinary flag, whose value is the next argument.
        assert_eq!(pairs(strings(&["--evaluate", "x"])).unwrap(), [("evaluate".into(), "x".into())]);
    }

    #[test]
    fn a_bare_word_or_a_missing_value_is_an_error() {
        assert!(pairs(strings(&["digits"])).is_err());
        assert!(pairs(strings(&["--seed"])).is_err());
    }
}

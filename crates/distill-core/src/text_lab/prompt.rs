//! A prompt typed in the page, read as the models read it: in their vocabulary, at most as long
//! as the teacher's window, and never empty. What had to change is said in notices.

use crate::data::text::{UNKNOWN, UNKNOWN_CHAR, encode, id_of};

/// What the page's prompt box holds before anyone types: the opening of a scene, so that all
/// three models have a speaker to go on from.
pub const DEFAULT_PROMPT: &str = "[Enter the King and Queen.]\n\nKing.\n";

/// The longest prompt the models read: what the teacher reads of a prompt before it writes, its
/// window less the room it keeps to write on (the students read its last
/// [`STUDENT_CONTEXT`](super::STUDENT_CONTEXT)).
pub const PROMPT_LIMIT: usize = 48;

/// A prompt as the models read it, with what changed on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub ids: Vec<u8>,
    pub notices: Vec<String>,
}

impl Prompt {
    /// `typed` in the vocabulary: other characters become the unknown symbol, a long prompt
    /// keeps its last [`PROMPT_LIMIT`] characters, and an empty one is [`DEFAULT_PROMPT`].
    pub fn read(typed: &str) -> Prompt {
        let mut notices = Vec::new();
        if typed.trim().is_empty() {
            notices.push("The prompt is empty: the models continue the default one.".to_string());
            return Prompt { ids: encode(DEFAULT_PROMPT).ids, notices };
        }
        let encoded = encode(typed);
        let (mut ids, unknown) = (encoded.ids, encoded.unknown);
        if unknown > 0 {
            let examples: String = typed.chars().filter(|&c| id_of(c) == UNKNOWN).take(3).collect();
            notices.push(format!(
                "{unknown} character{} of the prompt ({examples}) {} not in the models' vocabulary (newline and the \
                 95 printable ASCII characters): the models read each as one unknown symbol, {UNKNOWN_CHAR}.",
                if unknown == 1 { "" } else { "s" },
                if unknown == 1 { "is" } else { "are" },
            ));
        }
        if ids.len() > PROMPT_LIMIT {
            notices.push(format!(
                "The prompt has {} characters; the teacher reads its last {PROMPT_LIMIT}, the students their last {}.",
                ids.len(),
                super::STUDENT_CONTEXT
            ));
            ids.drain(..ids.len() - PROMPT_LIMIT);
        }
        Prompt { ids, notices }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::text::decode;

    #[test]
    fn a_plain_prompt_is_read_as_typed() {
        let prompt = Prompt::read("Ham.\nTo be");
        assert_eq!(decode(&prompt.ids), "Ham.\nTo be");
        assert!(prompt.notices.is_empty());
    }

    #[test]
    fn an_emoji_is_one_unknown_symbol_with_a_notice() {
        let prompt = Prompt::read("Hi 😀 there");
        assert_eq!(decode(&prompt.ids), format!("Hi {UNKNOWN_CHAR} there"));
        assert_eq!(prompt.notices.len(), 1);
        assert!(prompt.notices[0].contains("😀") && prompt.notices[0].contains("1 character"), "{:?}", prompt.notices);
    }

    #[test]
    fn a_long_prompt_keeps_its_end_and_an_empty_one_is_the_default() {
        let long = format!("{}the end", "a".repeat(10_000));
        let prompt = Prompt::read(&long);
        assert_eq!(prompt.ids.len(), PROMPT_LIMIT);
        assert!(decode(&prompt.ids).ends_with("the end"));
        assert!(prompt.notices[0].contains("10007 characters; the teacher reads its last 48"), "{:?}", prompt.notices);
        let empty = Prompt::read("  \n ");
        assert_eq!(decode(&empty.ids), DEFAULT_PROMPT);
        assert_eq!(empty.notices.len(), 1);
    }
}

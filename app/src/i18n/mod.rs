//! The one layer every UI string goes through. Simplified Chinese is the default, English the
//! second language. Messages are a Rust enum, so a missing translation or a misspelt key is a
//! compile error, not a blank on a customer's screen.
//!
//! Chinese copy is written for customers (many of them elderly, many in villages): short
//! sentences, no code words, no English abbreviations.

mod messages;
mod switch;
mod templates;

use serde::{Deserialize, Serialize};

pub use messages::Msg;
pub use switch::{LanguageSwitch, SetLanguage};
pub use templates::Tpl;

/// A name the domain gives in both languages (a bill kind, its number's label, a trade): it
/// reaches the page as both, and the page shows the one of the language in use, so switching
/// language changes it without a reload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub zh: String,
    pub en: String,
}

impl Named {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Named {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

/// The languages the portal is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The value used in the cookie, in `?lang=` and in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Accepts the tag and the common spellings people type into a URL.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "zh-cn" | "zh" | "zh-hans" | "zh_cn" => Some(Lang::ZhCn),
            "en" | "en-us" | "en-gb" | "en_us" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's name in itself, as a language switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "简体中文",
            Lang::En => "English",
        }
    }

    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("ZH"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("fr"), None);
    }

    #[test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            for lang in Lang::ALL {
                assert!(
                    !msg.text(lang).trim().is_empty(),
                    "{msg:?} is empty in {lang:?}"
                );
            }
            assert_ne!(
                msg.text(Lang::ZhCn),
                msg.text(Lang::En),
                "{msg:?} is untranslated"
            );
        }
    }
}

//! Every UI string, in both languages, side by side, in one `Msg` enum so that any page can
//! show any message. The lists live beside each other by capability (one file each, small
//! enough to read); each file's macro adds its messages and hands the collection on, and the
//! last, `messages!`, makes the enum and its table.

use super::Lang;

#[macro_use]
mod portal;
#[macro_use]
mod ops;
#[macro_use]
mod feedback;
#[macro_use]
mod lending;
#[macro_use]
mod loans;

macro_rules! messages {
    ([] $($key:ident => $zh:literal, $en:literal;)*) => {
        /// A UI string; [`Msg::text`] gives it in a language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($key,)* }

        impl Msg {
            /// Every message, for the completeness test.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            pub fn text(self, lang: Lang) -> &'static str {
                // A table indexed by the message rather than a `match`: the WASM holds the
                // strings once and a lookup, not a branch per message and language.
                const TEXTS: &[[&str; 2]] = &[$([$zh, $en],)*];
                TEXTS[self as usize][match lang {
                    Lang::ZhCn => 0,
                    Lang::En => 1,
                }]
            }
        }
    };
}

portal_messages! { [ops_messages feedback_messages loans_messages lending_messages messages] }

//! Mainland China mobile numbers: 11 digits, `1[3-9]` then nine more.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A validated mainland mobile number (digits only).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mobile(String);

impl Mobile {
    /// Accepts what people type: spaces, dashes and a leading +86 / 0086 are removed.
    pub fn parse(input: &str) -> Result<Mobile> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
            .unwrap_or(&digits)
            .to_string();
        let b = digits.as_bytes();
        let ok = b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1]);
        if ok {
            Ok(Mobile(digits))
        } else {
            Err(Error::invalid(crate::Input::Mobile, "mobile".into()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****1234`: how the number is shown everywhere by default.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl std::fmt::Display for Mobile {
    /// Displays masked: a full number never lands in a log by accident.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mainland_numbers_as_typed() {
        assert_eq!(
            Mobile::parse("13812341234").unwrap().as_str(),
            "13812341234"
        );
        assert_eq!(
            Mobile::parse("138 1234 1234").unwrap().as_str(),
            "13812341234"
        );
        assert_eq!(
            Mobile::parse("+86 138-1234-1234").unwrap().as_str(),
            "13812341234"
        );
        assert_eq!(
            Mobile::parse("008619912345678").unwrap().as_str(),
            "19912345678"
        );
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "1381234123",
            "138123412345",
            "12812341234",
            "23812341234",
            "1381234123a",
            "１３８１２３４１２３４",
        ] {
            assert!(Mobile::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn masks_the_middle_four() {
        let m = Mobile::parse("13812341234").unwrap();
        assert_eq!(m.masked(), "138****1234");
        assert_eq!(m.to_string(), "138****1234");
    }
}

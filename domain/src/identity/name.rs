//! Real names as printed on the resident ID card.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Two-character surnames that masking keeps whole (欧阳娜娜 → 欧阳**).
const COMPOUND_SURNAMES: [&str; 20] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容", "司徒", "夏侯",
    "长孙", "宇文", "轩辕", "端木", "西门", "南宫", "独孤", "申屠",
];

/// A validated real name: Chinese characters, with the middle dot some minority names use
/// (阿卜杜·热合曼).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RealName(String);

impl RealName {
    pub fn parse(input: &str) -> Result<RealName> {
        let name: String = input.trim().replace(['•', '・', '．'], "·");
        let chars: Vec<char> = name.chars().collect();
        let is_han = |c: char| matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2A6DF}');
        let ok = (2..=20).contains(&chars.len())
            && chars.iter().all(|&c| is_han(c) || c == '·')
            && is_han(chars[0])
            && is_han(*chars.last().unwrap_or(&'·'))
            && !name.contains("··");
        if ok {
            Ok(RealName(name))
        } else {
            Err(Error::invalid(crate::Input::Name, "name".into()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `张*`, `欧阳**`: the surname stays, every other character becomes `*`.
    pub fn masked(&self) -> String {
        let keep = COMPOUND_SURNAMES
            .iter()
            .find(|s| self.0.starts_with(*s))
            .map_or(1, |_| 2);
        let chars: Vec<char> = self.0.chars().collect();
        let keep = keep.min(chars.len() - 1);
        chars[..keep].iter().collect::<String>() + &"*".repeat(chars.len() - keep)
    }
}

impl std::fmt::Display for RealName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_the_surname() {
        assert_eq!(RealName::parse("张三").unwrap().masked(), "张*");
        assert_eq!(RealName::parse("王小明").unwrap().masked(), "王**");
        assert_eq!(RealName::parse("欧阳娜娜").unwrap().masked(), "欧阳**");
        assert_eq!(
            RealName::parse("欧阳").unwrap().masked(),
            "欧*",
            "never shows a whole name"
        );
        assert_eq!(
            RealName::parse("阿卜杜•热合曼").unwrap().as_str(),
            "阿卜杜·热合曼"
        );
    }

    #[test]
    fn refuses_what_no_id_card_prints() {
        for bad in [
            "",
            "张",
            "Zhang San",
            "张3",
            "·张三",
            "张三·",
            "张··三",
            "张 三",
        ] {
            assert!(RealName::parse(bad).is_err(), "{bad}");
        }
    }
}

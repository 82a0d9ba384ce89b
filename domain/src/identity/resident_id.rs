//! The 18-digit resident identity number (居民身份证号码), GB 11643-1999: six digits of region,
//! eight of birth date (YYYYMMDD), three of sequence (odd for men), and a check character
//! computed with ISO 7064 MOD 11-2.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// GB 11643-1999 §8.2: weights of the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum mod 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// The date of a day number counted from 1970-01-01 (Howard Hinnant's civil_from_days).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Whole years from `self` (a birth date) to `today`.
    pub fn age_on(self, today: Date) -> i32 {
        let had_birthday = (today.month, today.day) >= (self.month, self.day);
        today.year - self.year - i32::from(!had_birthday)
    }
}

/// A validated resident ID number (upper-case `X`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ResidentId(String);

impl ResidentId {
    /// Validates length, digits, birth date and check character. `today` bounds the birth date.
    pub fn parse(input: &str, today: Date) -> Result<ResidentId> {
        let id: String = input.trim().to_ascii_uppercase();
        let bytes = id.as_bytes();
        let invalid =
            |why: &str| Error::invalid(crate::Input::ResidentId, format!("resident_id: {why}"));
        if bytes.len() != 18 {
            return Err(invalid("length"));
        }
        if !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(invalid("characters"));
        }
        if check_char(&id[..17]) != bytes[17] as char {
            return Err(invalid("check"));
        }
        let birth = birth_date_of(&id).ok_or_else(|| invalid("birth date"))?;
        if birth > today || birth.year < 1900 {
            return Err(invalid("birth date"));
        }
        Ok(ResidentId(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> Date {
        birth_date_of(&self.0).expect("validated at parse")
    }

    /// GB 11643: the 17th digit is odd for men, even for women.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }

    /// `3701**********1234`: how the number is shown by default.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.0[..4], &self.0[14..])
    }
}

impl std::fmt::Display for ResidentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

/// The check character for the first 17 digits.
pub fn check_char(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

fn birth_date_of(id: &str) -> Option<Date> {
    let year = id[6..10].parse().ok()?;
    let month = id[10..12].parse().ok()?;
    let day = id[12..14].parse().ok()?;
    Date::new(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 27,
    };

    /// Builds a valid number from region, birth date and sequence, as test data generators do.
    fn make(region: &str, birth: &str, seq: &str) -> String {
        let first17 = format!("{region}{birth}{seq}");
        format!("{first17}{}", check_char(&first17))
    }

    #[test]
    fn the_standards_worked_example() {
        // GB 11643-1999 appendix example: 11010519491231002X.
        let id = ResidentId::parse("11010519491231002x", TODAY).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(
            id.birth_date(),
            Date {
                year: 1949,
                month: 12,
                day: 31
            }
        );
        assert!(!id.is_male());
        assert_eq!(id.masked(), "1101**********002X");
    }

    #[test]
    fn refuses_wrong_check_length_and_dates() {
        assert!(
            ResidentId::parse("110105194912310021", TODAY).is_err(),
            "wrong check"
        );
        assert!(
            ResidentId::parse("11010519491231002", TODAY).is_err(),
            "17 digits"
        );
        assert!(
            ResidentId::parse(&make("370102", "19990230", "123"), TODAY).is_err(),
            "30 February"
        );
        assert!(
            ResidentId::parse(&make("370102", "20300101", "123"), TODAY).is_err(),
            "not born yet"
        );
        assert!(
            ResidentId::parse(&make("370102", "18991231", "123"), TODAY).is_err(),
            "too old"
        );
        assert!(
            ResidentId::parse(&make("370102", "19600101", "12"), TODAY).is_err(),
            "short"
        );
    }

    #[test]
    fn derives_age_for_the_elder_editions() {
        let id = ResidentId::parse(&make("370102", "19661128", "013"), TODAY).unwrap();
        assert_eq!(id.birth_date().age_on(TODAY), 59, "turns 60 tomorrow");
        assert_eq!(
            id.birth_date().age_on(Date {
                year: 2026,
                month: 11,
                day: 28
            }),
            60
        );
        assert!(id.is_male());
    }

    #[test]
    fn day_numbers_to_dates() {
        assert_eq!(
            Date::from_days(0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            Date::from_days(20_784),
            Date {
                year: 2026,
                month: 11,
                day: 27
            }
        );
        assert_eq!(
            Date::from_days(11_016),
            Date {
                year: 2000,
                month: 2,
                day: 29
            }
        );
    }
}

//! Bank card numbers: 19 digits, a six-digit BIN per issuing bank, twelve digits chosen at random
//! by the application (no database sequence), and a Luhn (ISO/IEC 7812-1) check digit.

use crate::{Error, Result};

/// The Luhn check digit for `payload` (the digits before it).
pub fn luhn_digit(payload: &str) -> u8 {
    let sum: u32 = payload
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            // Doubling starts with the digit next to the check digit.
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Whether a digit string ends in its correct Luhn digit.
pub fn luhn_valid(card: &str) -> bool {
    card.len() >= 2
        && card.bytes().all(|b| b.is_ascii_digit())
        && luhn_digit(&card[..card.len() - 1]) == card.as_bytes()[card.len() - 1] - b'0'
}

/// The BIN of one of our banks: `623` + the bank's three-digit number (`B002` → `623002`).
pub fn bin_for(bank_code: &str) -> Result<String> {
    let number = bank_code
        .strip_prefix('B')
        .filter(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            Error::invalid(
                crate::Input::Choice,
                format!("not a bank code: {bank_code}"),
            )
        })?;
    Ok(format!("623{number}"))
}

/// The bank code a card of our network belongs to, from its BIN.
pub fn bank_of(card: &str) -> Option<String> {
    (card.len() == 19 && card.starts_with("623")).then(|| format!("B{}", &card[3..6]))
}

/// A new random card number of a bank.
pub fn generate(bank_code: &str) -> Result<String> {
    let bin = bin_for(bank_code)?;
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| Error::Config(format!("no randomness: {e}")))?;
    let serial = u64::from_le_bytes(bytes) % 1_000_000_000_000;
    let payload = format!("{bin}{serial:012}");
    let check = luhn_digit(&payload);
    Ok(format!("{payload}{check}"))
}

/// A card number as typed (spaces and dashes allowed, full-width digits from Chinese keyboards),
/// checked for length and check digit.
pub fn parse(input: &str) -> Result<String> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if !(16..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(
            crate::Input::Card,
            "a card number has 16 to 19 digits".into(),
        ));
    }
    if !luhn_valid(&digits) {
        return Err(Error::invalid(
            crate::Input::Card,
            "card number check digit is wrong".into(),
        ));
    }
    Ok(digits)
}

/// `6230 **** **** ***1 234`: first four and last four digits, grouped by four.
pub fn mask(card: &str) -> String {
    if card.len() < 8 {
        return "****".into();
    }
    let last4 = &card[card.len() - 4..];
    format!("{} **** **** {last4}", &card[..4])
}

/// The last four digits, as in "尾号1234".
pub fn tail(card: &str) -> &str {
    &card[card.len().saturating_sub(4)..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_matches_known_numbers() {
        // The ISO/IEC 7812 worked example and a well-known test card.
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("79927398710"));
        assert!(luhn_valid("4111111111111111"));
        assert_eq!(luhn_digit("7992739871"), 3);
    }

    #[test]
    fn generated_cards_are_valid_and_carry_the_bank() {
        for _ in 0..200 {
            let c = generate("B017").unwrap();
            assert_eq!(c.len(), 19);
            assert!(c.starts_with("623017"));
            assert!(luhn_valid(&c), "{c}");
            assert_eq!(bank_of(&c).as_deref(), Some("B017"));
            assert_eq!(parse(&c).unwrap(), c);
        }
        assert!(generate("P000").is_err());
    }

    #[test]
    fn typed_cards_are_normalized_and_checked() {
        let c = generate("B001").unwrap();
        let spaced = format!("{} {} {} {}", &c[..4], &c[4..8], &c[8..12], &c[12..]);
        assert_eq!(parse(&spaced).unwrap(), c);
        let mut wrong = c.clone().into_bytes();
        wrong[18] = if wrong[18] == b'9' {
            b'0'
        } else {
            wrong[18] + 1
        };
        assert!(parse(std::str::from_utf8(&wrong).unwrap()).is_err());
        assert!(parse("12345").is_err());
        assert!(parse("6230abc").is_err());
        assert_eq!(mask("6230021234567890123"), "6230 **** **** 0123");
        assert_eq!(tail("6230021234567890123"), "0123");
    }
}

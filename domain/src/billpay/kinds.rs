//! The sixteen kinds of payment (十六类缴费) and their billers in each of the province's cities,
//! and the social-insurance and non-tax payments (社保和非税缴纳) that go the same way.

use serde::{Deserialize, Serialize};

/// How much a bill of a kind may be paid with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Exactly the amount due (property fees, tuition, fines, party dues …).
    Exact,
    /// Any amount from ¥1 up to [`MAX_PAYMENT`]: part of the bill, all of it, or more as
    /// credit for the next one (water, electricity, gas).
    Partial,
    /// A top-up of one of these amounts (fen).
    Denominations(&'static [i64]),
    /// One of these yearly grades (fen), once a year: the bill's `due` is the lowest grade while
    /// the year is open and 0 once it is paid (resident pension, 城乡居民养老保险缴费档次).
    Grades(&'static [i64]),
}

/// 山东省城乡居民基本养老保险 yearly contribution grades (yuan): the simulator's table, after
/// the province's published 300 to 5,000 yuan steps.
pub const PENSION_GRADES: [i64; 10] = [
    30_000, 50_000, 80_000, 100_000, 150_000, 200_000, 250_000, 300_000, 400_000, 500_000,
];

/// The most one bill payment may move (fen).
pub const MAX_PAYMENT: i64 = 5_000_000;
/// The least a partial payment may be (fen).
pub const MIN_PARTIAL: i64 = 100;

/// What identifies the payer at a biller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Number {
    /// A 10-digit household or customer number whose last digit is a Luhn check digit.
    Household,
    /// A mainland mobile number.
    Mobile,
    /// A 16-digit card number (transit, fuel, ETC) with a Luhn check digit.
    Card,
    /// A 15-digit traffic-penalty decision number (处罚决定书编号).
    Decision,
    /// An 8- to 12-digit student number.
    Student,
    /// An 18-character resident ID (GB 11643, with its check character): whose insurance.
    ResidentId,
    /// A 20-digit payment-notice number (缴款通知书编号): 6-digit area code, 4-digit year,
    /// 9-digit serial, and a Luhn check digit over the first 19.
    Notice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Water,
    Electricity,
    Gas,
    Heating,
    Property,
    PartyDues,
    MobileTopUp,
    Broadband,
    CableTv,
    Landline,
    Tuition,
    Waste,
    TrafficFine,
    TransitCard,
    FuelCard,
    EtcTopUp,
    /// 城乡居民养老保险: a yearly contribution at a grade the payer picks.
    ResidentPension,
    /// 城乡居民医疗保险: the yearly per-person contribution.
    ResidentMedical,
    /// 非税缴纳: fees and charges by payment-notice number.
    NonTax,
}

impl Kind {
    /// Social insurance and non-tax payments, paid like bills but listed apart.
    pub const SOCIAL: [Kind; 3] = [Kind::ResidentPension, Kind::ResidentMedical, Kind::NonTax];

    pub const ALL: [Kind; 16] = [
        Kind::Water,
        Kind::Electricity,
        Kind::Gas,
        Kind::Heating,
        Kind::Property,
        Kind::PartyDues,
        Kind::MobileTopUp,
        Kind::Broadband,
        Kind::CableTv,
        Kind::Landline,
        Kind::Tuition,
        Kind::Waste,
        Kind::TrafficFine,
        Kind::TransitCard,
        Kind::FuelCard,
        Kind::EtcTopUp,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Kind::Water => "water",
            Kind::Electricity => "electricity",
            Kind::Gas => "gas",
            Kind::Heating => "heating",
            Kind::Property => "property",
            Kind::PartyDues => "party-dues",
            Kind::MobileTopUp => "mobile",
            Kind::Broadband => "broadband",
            Kind::CableTv => "cable-tv",
            Kind::Landline => "landline",
            Kind::Tuition => "tuition",
            Kind::Waste => "waste",
            Kind::TrafficFine => "traffic-fine",
            Kind::TransitCard => "transit-card",
            Kind::FuelCard => "fuel-card",
            Kind::EtcTopUp => "etc",
            Kind::ResidentPension => "resident-pension",
            Kind::ResidentMedical => "resident-medical",
            Kind::NonTax => "non-tax",
        }
    }

    pub fn from_slug(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .chain(Kind::SOCIAL)
            .find(|k| k.slug() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Kind::Water => "水费",
            Kind::Electricity => "电费",
            Kind::Gas => "燃气费",
            Kind::Heating => "供暖费",
            Kind::Property => "物业费",
            Kind::PartyDues => "党费",
            Kind::MobileTopUp => "手机充值",
            Kind::Broadband => "宽带费",
            Kind::CableTv => "有线电视费",
            Kind::Landline => "固话费",
            Kind::Tuition => "学费",
            Kind::Waste => "垃圾处理费",
            Kind::TrafficFine => "交通罚款",
            Kind::TransitCard => "公交卡充值",
            Kind::FuelCard => "加油卡充值",
            Kind::EtcTopUp => "ETC 充值",
            Kind::ResidentPension => "城乡居民养老保险",
            Kind::ResidentMedical => "城乡居民医疗保险",
            Kind::NonTax => "非税缴纳",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Kind::Water => "Water",
            Kind::Electricity => "Electricity",
            Kind::Gas => "Gas",
            Kind::Heating => "Heating",
            Kind::Property => "Property fee",
            Kind::PartyDues => "Party dues",
            Kind::MobileTopUp => "Mobile top-up",
            Kind::Broadband => "Broadband",
            Kind::CableTv => "Cable TV",
            Kind::Landline => "Landline",
            Kind::Tuition => "Tuition",
            Kind::Waste => "Waste collection",
            Kind::TrafficFine => "Traffic fine",
            Kind::TransitCard => "Transit card top-up",
            Kind::FuelCard => "Fuel card top-up",
            Kind::EtcTopUp => "ETC top-up",
            Kind::ResidentPension => "Resident pension insurance",
            Kind::ResidentMedical => "Resident medical insurance",
            Kind::NonTax => "Non-tax payment",
        }
    }

    pub fn rule(self) -> Rule {
        match self {
            Kind::Water | Kind::Electricity | Kind::Gas => Rule::Partial,
            Kind::MobileTopUp => {
                Rule::Denominations(&[3_000, 5_000, 10_000, 20_000, 30_000, 50_000])
            }
            Kind::TransitCard => Rule::Denominations(&[2_000, 5_000, 10_000]),
            Kind::FuelCard => Rule::Denominations(&[10_000, 20_000, 50_000, 100_000]),
            Kind::EtcTopUp => Rule::Denominations(&[10_000, 20_000, 50_000]),
            Kind::ResidentPension => Rule::Grades(&PENSION_GRADES),
            _ => Rule::Exact,
        }
    }

    pub fn number(self) -> Number {
        match self {
            Kind::MobileTopUp | Kind::Landline => Number::Mobile,
            Kind::TransitCard | Kind::FuelCard | Kind::EtcTopUp => Number::Card,
            Kind::TrafficFine => Number::Decision,
            Kind::Tuition => Number::Student,
            Kind::ResidentPension | Kind::ResidentMedical => Number::ResidentId,
            Kind::NonTax => Number::Notice,
            _ => Number::Household,
        }
    }

    /// What a top-up kind has no bill for: the simulator answers with the holder only.
    pub fn is_top_up(self) -> bool {
        matches!(self.rule(), Rule::Denominations(_))
    }

    /// True for the social-insurance and non-tax kinds.
    pub fn is_social(self) -> bool {
        Kind::SOCIAL.contains(&self)
    }

    /// Where the rural editions list this kind: the ones village households pay most come
    /// first, in this order; `None` keeps the usual order after them.
    pub fn rural_rank(self) -> Option<u8> {
        match self {
            Kind::Electricity => Some(0),
            Kind::Water => Some(1),
            Kind::MobileTopUp => Some(2),
            Kind::CableTv => Some(3),
            Kind::PartyDues => Some(4),
            _ => None,
        }
    }
}

/// One biller: a company or office that takes one kind of payment in one city (or the whole
/// province).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Biller {
    /// `water-济南`, `mobile-cmcc` …: stable, used in URLs and stored with payments.
    pub id: String,
    pub kind: Kind,
    /// `None`: serves the whole province.
    pub city: Option<String>,
    pub name: String,
}

/// The province's cities, as the bank directory has them.
pub const CITIES: [&str; 16] = [
    "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂",
    "德州", "聊城", "滨州", "菏泽",
];

/// Every biller: the city ones for each of the 16 cities, then the province-wide ones.
pub fn billers() -> Vec<Biller> {
    let mut all = Vec::new();
    let city_kinds: [(Kind, &str); 10] = [
        (Kind::Water, "{c}市供排水有限公司"),
        (Kind::Electricity, "国网山东省电力公司{c}供电公司"),
        (Kind::Gas, "{c}市燃气有限公司"),
        (Kind::Heating, "{c}市热力有限公司"),
        (Kind::Property, "{c}市物业服务缴费平台"),
        (Kind::PartyDues, "中共{c}市委组织部党费代收"),
        (Kind::CableTv, "山东广电网络{c}分公司"),
        (Kind::Tuition, "{c}市教育收费代收平台"),
        (Kind::Waste, "{c}市城市管理局垃圾处理费"),
        (Kind::TrafficFine, "{c}市公安局交通警察支队"),
    ];
    for city in CITIES {
        for (kind, template) in city_kinds {
            all.push(Biller {
                id: format!("{}-{city}", kind.slug()),
                kind,
                city: Some(city.into()),
                name: template.replace("{c}", city),
            });
        }
    }
    for city in CITIES {
        for (kind, template) in [
            (Kind::ResidentPension, "{c}市社会保险事业中心"),
            (Kind::ResidentMedical, "{c}市医疗保障局"),
        ] {
            all.push(Biller {
                id: format!("{}-{city}", kind.slug()),
                kind,
                city: Some(city.into()),
                name: template.replace("{c}", city),
            });
        }
    }
    let province: [(Kind, &str, &str); 11] = [
        (Kind::MobileTopUp, "cmcc", "中国移动山东公司"),
        (Kind::MobileTopUp, "unicom", "中国联通山东省分公司"),
        (Kind::MobileTopUp, "telecom", "中国电信山东分公司"),
        (Kind::Broadband, "cmcc", "中国移动山东公司宽带"),
        (Kind::Broadband, "telecom", "中国电信山东分公司宽带"),
        (Kind::Landline, "telecom", "中国电信山东分公司固话"),
        (Kind::TransitCard, "sd", "山东交通一卡通"),
        (Kind::FuelCard, "sinopec", "中国石化山东石油分公司"),
        (Kind::FuelCard, "petrochina", "中国石油山东销售分公司"),
        (Kind::EtcTopUp, "sdhs", "山东高速信联 ETC"),
        (Kind::NonTax, "sd", "山东省财政厅非税收入收缴系统"),
    ];
    for (kind, code, name) in province {
        all.push(Biller {
            id: format!("{}-{code}", kind.slug()),
            kind,
            city: None,
            name: name.into(),
        });
    }
    all
}

/// The biller with this id.
pub fn biller(id: &str) -> Option<Biller> {
    billers().into_iter().find(|b| b.id == id)
}

/// The billers of a kind serving a city (its own and the province-wide ones).
pub fn billers_for(kind: Kind, city: &str) -> Vec<Biller> {
    billers()
        .into_iter()
        .filter(|b| b.kind == kind && b.city.as_deref().is_none_or(|c| c == city))
        .collect()
}

fn luhn_ok(digits: &str) -> bool {
    let (payload, check) = digits.split_at(digits.len() - 1);
    crate::account::card::luhn_digit(payload).to_string() == check
}

/// Checks a number's form for a kind; returns it normalised (spaces and dashes dropped).
pub fn normalise_number(kind: Kind, input: &str) -> Option<String> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let ok = match kind.number() {
        Number::Household => digits && s.len() == 10 && luhn_ok(&s),
        Number::Card => digits && s.len() == 16 && luhn_ok(&s),
        Number::Mobile => crate::identity::Mobile::parse(&s).is_ok(),
        Number::Decision => digits && s.len() == 15,
        Number::Student => digits && (8..=12).contains(&s.len()),
        Number::Notice => digits && s.len() == 20 && luhn_ok(&s),
        Number::ResidentId => {
            // The form and the check character; the bureau knows whether the person exists.
            let far = crate::identity::Date {
                year: 9999,
                month: 12,
                day: 31,
            };
            return crate::identity::ResidentId::parse(&s, far)
                .ok()
                .map(|id| id.as_str().to_string());
        }
    };
    ok.then_some(s)
}

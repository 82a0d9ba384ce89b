//! The public employment service's simulator: for each city and trade a few listings that
//! change week by week, with employers, places (the city's own counties and districts), pay
//! and benefits in the ranges such jobs pay in the province. Nothing is stored: a listing
//! follows from (city, trade, week, slot), so every node answers the same.

use sha2::{Digest, Sha256};

use super::{Job, JobBoard, JobQuery, Trade, MAX_RESULTS};
use crate::billpay::CITIES;
use crate::clock::{Millis, DAY, HOUR};
use crate::sms::BoxFuture;
use crate::Result;

/// Listings stay up for this many weeks.
const WEEKS_OPEN: i64 = 2;

#[derive(Debug)]
pub struct JobBoardSimulator {
    /// The counties and districts of each city, from the bank directory.
    places: Vec<(String, Vec<String>)>,
}

impl Default for JobBoardSimulator {
    fn default() -> Self {
        Self::new()
    }
}

impl JobBoardSimulator {
    pub fn new() -> JobBoardSimulator {
        let banks = crate::institution::bundled_banks();
        let places = CITIES
            .iter()
            .map(|c| {
                let mut counties: Vec<String> = banks
                    .iter()
                    .filter(|b| b.city == *c && b.county != "市辖区")
                    .map(|b| b.county.clone())
                    .collect();
                counties.dedup();
                if counties.is_empty() {
                    counties.push("市区".into());
                }
                (c.to_string(), counties)
            })
            .collect();
        JobBoardSimulator { places }
    }
}

fn hash(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().into()
}

fn pick<'a>(list: &[&'a str], byte: u8) -> &'a str {
    list[byte as usize % list.len()]
}

/// Titles, monthly pay range (yuan) and benefits typical of a trade.
fn profile(trade: Trade) -> (&'static [&'static str], (i64, i64), &'static [&'static str]) {
    match trade {
        Trade::Factory => (
            &["普工", "操作工", "包装工", "质检员"],
            (4_000, 6_500),
            &["包吃住", "五险", "加班费另计"],
        ),
        Trade::Construction => (
            &["钢筋工", "木工", "瓦工", "架子工"],
            (6_000, 9_000),
            &["日结可谈", "管住宿", "工伤保险"],
        ),
        Trade::Delivery => (
            &["快递员", "分拣员", "配送员", "仓库管理员"],
            (4_500, 8_000),
            &["多劳多得", "五险", "提供电动车"],
        ),
        Trade::Housekeeping => (
            &["家政服务员", "保洁员", "育婴员", "月嫂"],
            (4_000, 9_000),
            &["持证优先", "免费培训", "时间灵活"],
        ),
        Trade::Catering => (
            &["厨师", "面点师", "服务员", "帮厨"],
            (3_800, 7_000),
            &["包吃住", "月休四天", "五险"],
        ),
        Trade::Farming => (
            &["大棚种植工", "果园管理员", "养殖饲养员", "农机手"],
            (3_500, 6_000),
            &["管吃住", "季节用工", "技术指导"],
        ),
        Trade::Driving => (
            &["货车司机（B2）", "客车司机（A1）", "网约车司机", "叉车司机"],
            (5_500, 9_500),
            &["五险一金", "提供住宿", "出车补贴"],
        ),
        Trade::Security => (
            &["保安员", "门卫", "监控员", "巡逻员"],
            (3_500, 5_000),
            &["包吃住", "五险", "年龄可放宽到 60 岁"],
        ),
        Trade::Caregiving => (
            &["养老护理员", "医院护工", "康复护理员", "居家护理员"],
            (4_200, 7_000),
            &["免费培训取证", "包吃住", "五险"],
        ),
        Trade::Electrician => (
            &["维修电工", "电气安装工", "光伏安装工", "物业电工"],
            (5_000, 8_500),
            &["持电工证", "五险一金", "交通补贴"],
        ),
        Trade::Welding => (
            &["电焊工", "氩弧焊工", "二保焊工", "铆焊工"],
            (6_000, 10_000),
            &["持焊工证", "包住宿", "五险"],
        ),
        Trade::CustomerService => (
            &["电商客服", "直播助理", "售后专员", "农产品网店运营"],
            (3_800, 6_500),
            &["可居家办公", "五险", "带薪培训"],
        ),
    }
}

const BRANDS: [&str; 10] = [
    "鲁信", "齐鲁", "泰和", "华盛", "恒通", "金穗", "万家", "瑞丰", "宏达", "新农",
];

fn employer_suffix(trade: Trade) -> &'static str {
    match trade {
        Trade::Factory => "机械制造有限公司",
        Trade::Construction => "建筑工程有限公司",
        Trade::Delivery => "物流有限公司",
        Trade::Housekeeping => "家政服务有限公司",
        Trade::Catering => "餐饮管理有限公司",
        Trade::Farming => "农业专业合作社",
        Trade::Driving => "运输有限公司",
        Trade::Security => "保安服务有限公司",
        Trade::Caregiving => "养老服务中心",
        Trade::Electrician => "电力安装有限公司",
        Trade::Welding => "钢结构有限公司",
        Trade::CustomerService => "电子商务有限公司",
    }
}

impl JobBoardSimulator {
    /// The listings of one city, trade and week (two to four).
    fn listings(&self, city: &str, counties: &[String], trade: Trade, week: i64) -> Vec<Job> {
        let key = week.to_string();
        let seed = hash(&[city, trade.slug(), &key]);
        let (titles, (lo, hi), benefits) = profile(trade);
        (0..2 + seed[0] as usize % 3)
            .map(|slot| {
                let h = hash(&[city, trade.slug(), &key, &slot.to_string()]);
                let step = (hi - lo) / 10;
                let pay_min = lo + step * (h[1] as i64 % 5);
                let pay_max = pay_min + step * (2 + h[2] as i64 % 4);
                let mut perks: Vec<String> = benefits
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| (h[3] >> i) & 1 == 1 || *i == 0)
                    .map(|(_, b)| b.to_string())
                    .collect();
                perks.dedup();
                Job {
                    id: format!("SIM-{}-{}-{week}-{slot}", trade.slug(), hex(&h[..4])),
                    title: pick(titles, h[4]).to_string(),
                    employer: format!("{city}{}{}", pick(&BRANDS, h[5]), employer_suffix(trade)),
                    city: city.to_string(),
                    place: counties[h[6] as usize % counties.len()].clone(),
                    trade,
                    pay_min: pay_min * 100,
                    pay_max: pay_max.min(hi + step * 2) * 100,
                    openings: 1 + u32::from(h[7] % 20),
                    benefits: perks,
                    // Posted on a weekday morning of that week.
                    posted_at: (week * 7 + i64::from(h[8] % 5)) * DAY + HOUR,
                    apply_at: format!("{city}市公共就业和人才服务中心"),
                }
            })
            .collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl JobBoard for JobBoardSimulator {
    fn search<'a>(&'a self, query: &'a JobQuery, now: Millis) -> BoxFuture<'a, Result<Vec<Job>>> {
        Box::pin(async move {
            let week = crate::clock::china_day_of(now).div_euclid(7);
            let words: Vec<&str> = query.words.split_whitespace().collect();
            let mut found = Vec::new();
            for (city, counties) in &self.places {
                if query.city.as_deref().is_some_and(|c| c != city.as_str()) {
                    continue;
                }
                for trade in Trade::ALL {
                    if query.trade.is_some_and(|t| t != trade) {
                        continue;
                    }
                    for w in (week - WEEKS_OPEN + 1)..=week {
                        found.extend(
                            self.listings(city, counties, trade, w)
                                .into_iter()
                                .filter(|j| j.posted_at <= now)
                                .filter(|j| {
                                    words.iter().all(|word| {
                                        j.title.contains(word)
                                            || j.employer.contains(word)
                                            || j.place.contains(word)
                                    })
                                }),
                        );
                    }
                }
            }
            found.sort_by(|a, b| b.posted_at.cmp(&a.posted_at).then(a.id.cmp(&b.id)));
            found.truncate(MAX_RESULTS);
            Ok(found)
        })
    }

    fn is_simulator(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_800_000_000_000;

    async fn search(city: Option<&str>, trade: Option<Trade>, words: &str) -> Vec<Job> {
        JobBoardSimulator::new()
            .search(
                &JobQuery {
                    city: city.map(str::to_string),
                    trade,
                    words: words.into(),
                },
                NOW,
            )
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn every_city_and_trade_has_listings_that_match_the_search() {
        for city in CITIES {
            for trade in Trade::ALL {
                let jobs = search(Some(city), Some(trade), "").await;
                assert!(!jobs.is_empty(), "{city} {trade:?}");
                for j in &jobs {
                    assert_eq!((j.city.as_str(), j.trade), (city, trade));
                    assert!(j.pay_min > 0 && j.pay_min < j.pay_max, "{j:?}");
                    assert!(j.posted_at <= NOW && j.posted_at > NOW - 3 * 7 * DAY);
                    assert!(!j.benefits.is_empty());
                }
            }
        }
        // Places are the city's own counties and districts.
        let counties: Vec<String> = crate::institution::bundled_banks()
            .into_iter()
            .filter(|b| b.city == "济南")
            .map(|b| b.county)
            .collect();
        let jinan = search(Some("济南"), None, "").await;
        assert!(
            jinan.iter().all(|j| counties.contains(&j.place)),
            "{jinan:?}"
        );
        assert!(jinan.len() <= MAX_RESULTS);
        assert!(
            jinan.windows(2).all(|w| w[0].posted_at >= w[1].posted_at),
            "newest first"
        );
        // Words narrow it down; a word nobody uses finds nothing.
        let welders = search(Some("济南"), None, "焊工").await;
        assert!(!welders.is_empty());
        assert!(welders.iter().all(|j| j.title.contains("焊工")));
        assert!(search(None, None, "宇航员").await.is_empty());
        // The same answer on every call and node; next week brings new listings.
        assert_eq!(
            search(Some("菏泽"), Some(Trade::Farming), "").await,
            search(Some("菏泽"), Some(Trade::Farming), "").await
        );
        let later = JobBoardSimulator::new()
            .search(
                &JobQuery {
                    city: Some("菏泽".into()),
                    trade: Some(Trade::Farming),
                    words: String::new(),
                },
                NOW + 21 * DAY,
            )
            .await
            .unwrap();
        assert_ne!(later, search(Some("菏泽"), Some(Trade::Farming), "").await);
    }

    #[test]
    fn trades_round_trip() {
        for t in Trade::ALL {
            assert_eq!(Trade::from_slug(t.slug()), Some(t));
        }
        assert_eq!(Trade::from_slug("astronaut"), None);
    }
}

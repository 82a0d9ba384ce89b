//! 就业在线: job listings from the public employment service (人社部门公共就业服务), searchable by
//! city and trade. The service sits behind [`JobBoard`]; [`simulator::JobBoardSimulator`] stands
//! in for it by default (the page says so), with listings that follow from the city, the trade
//! and the week, so every node shows the same.

pub mod simulator;

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::sms::BoxFuture;
use crate::Result;

/// The trades (工种) listings are filed under, the ones the province's job seekers ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Trade {
    Factory,
    Construction,
    Delivery,
    Housekeeping,
    Catering,
    Farming,
    Driving,
    Security,
    Caregiving,
    Electrician,
    Welding,
    CustomerService,
}

impl Trade {
    pub const ALL: [Trade; 12] = [
        Trade::Factory,
        Trade::Construction,
        Trade::Delivery,
        Trade::Housekeeping,
        Trade::Catering,
        Trade::Farming,
        Trade::Driving,
        Trade::Security,
        Trade::Caregiving,
        Trade::Electrician,
        Trade::Welding,
        Trade::CustomerService,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Trade::Factory => "factory",
            Trade::Construction => "construction",
            Trade::Delivery => "delivery",
            Trade::Housekeeping => "housekeeping",
            Trade::Catering => "catering",
            Trade::Farming => "farming",
            Trade::Driving => "driving",
            Trade::Security => "security",
            Trade::Caregiving => "caregiving",
            Trade::Electrician => "electrician",
            Trade::Welding => "welding",
            Trade::CustomerService => "customer-service",
        }
    }

    pub fn from_slug(s: &str) -> Option<Trade> {
        Trade::ALL.into_iter().find(|t| t.slug() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Trade::Factory => "制造业普工",
            Trade::Construction => "建筑施工",
            Trade::Delivery => "物流配送",
            Trade::Housekeeping => "家政服务",
            Trade::Catering => "餐饮服务",
            Trade::Farming => "种植养殖",
            Trade::Driving => "驾驶员",
            Trade::Security => "保安",
            Trade::Caregiving => "养老护理",
            Trade::Electrician => "电工",
            Trade::Welding => "焊工",
            Trade::CustomerService => "电商客服",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Trade::Factory => "Factory work",
            Trade::Construction => "Construction",
            Trade::Delivery => "Logistics and delivery",
            Trade::Housekeeping => "Housekeeping",
            Trade::Catering => "Catering",
            Trade::Farming => "Farming",
            Trade::Driving => "Driving",
            Trade::Security => "Security",
            Trade::Caregiving => "Elderly care",
            Trade::Electrician => "Electrician",
            Trade::Welding => "Welding",
            Trade::CustomerService => "E-commerce customer service",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub title: String,
    pub employer: String,
    pub city: String,
    /// The county or district it is in.
    pub place: String,
    pub trade: Trade,
    /// Monthly pay, fen.
    pub pay_min: i64,
    pub pay_max: i64,
    pub openings: u32,
    /// 包吃住, 五险一金 …
    pub benefits: Vec<String>,
    pub posted_at: Millis,
    /// Where to apply: the city's public employment service centre.
    pub apply_at: String,
}

/// What the customer searches for; empty fields match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobQuery {
    pub city: Option<String>,
    pub trade: Option<Trade>,
    /// Words in the title or the employer's name.
    pub words: String,
}

/// The most listings one search returns.
pub const MAX_RESULTS: usize = 50;

/// The public employment service (or the simulator standing in for it).
pub trait JobBoard: Send + Sync + std::fmt::Debug {
    /// Open listings matching the query, the newest first, at most [`MAX_RESULTS`].
    fn search<'a>(&'a self, query: &'a JobQuery, now: Millis) -> BoxFuture<'a, Result<Vec<Job>>>;

    /// True for simulators: pages and logs say so.
    fn is_simulator(&self) -> bool;
}

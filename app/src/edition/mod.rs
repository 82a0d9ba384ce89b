//! The four editions (四大界面) over one set of pages: an edition is a theme (CSS variables keyed
//! by `<html data-edition>`, see `style/tailwind.css`) plus a navigation set and a home layout.
//! No page is ever copied per edition.
//!
//! Where the edition is decided:
//! 1. `?edition=<slug>` on any URL (the entry an in-app webview uses) is turned into the cookie
//!    by the server's middleware before rendering (`server/src/prefs.rs`);
//! 2. the `edition` cookie, read while rendering on the server ([`crate::prefs`]);
//! 3. in the browser, the chooser and the settings switch, which post [`set_edition`] (a plain
//!    form post before WASM loads; a call without reload after).

mod chooser;

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::layout::Icon;

pub use chooser::{ChooserPage, EditionChooser, EditionSwitch, SetEdition};

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(edition: CHOOSER_PAGE => ChooserPage);

/// Cookie that remembers the chosen edition.
pub const EDITION_COOKIE: &str = "edition";

/// One of the four editions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Edition {
    /// 城市版: the full grid.
    #[default]
    City,
    /// 乡村智慧版: rural life, production and sales first.
    Rural,
    /// 城市简约版: large type, core services only.
    CitySimple,
    /// 乡村简约版: large type, rural core services.
    RuralSimple,
}

/// An entry of an edition's bottom navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NavItem {
    pub href: &'static str,
    pub label: Msg,
    pub icon: Icon,
}

/// A service tile on an edition's home page. Only working features get one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tile {
    pub href: &'static str,
    pub title: Msg,
    pub hint: Msg,
    pub icon: Icon,
}

const NAV_HOME: NavItem = NavItem {
    href: "/",
    label: Msg::NavHome,
    icon: Icon::Home,
};
const NAV_ACCOUNT: NavItem = NavItem {
    href: "/account",
    label: Msg::NavAccount,
    icon: Icon::Person,
};
const NAV_ACCOUNTS: NavItem = NavItem {
    href: "/accounts",
    label: Msg::NavAccounts,
    icon: Icon::Wallet,
};
const NAV_TRANSFER: NavItem = NavItem {
    href: "/transfer",
    label: Msg::NavTransfer,
    icon: Icon::Send,
};
const NAV_SETTINGS: NavItem = NavItem {
    href: "/settings",
    label: Msg::NavSettings,
    icon: Icon::Settings,
};

const TILE_BANKS: Tile = Tile {
    href: "/banks",
    title: Msg::TileBanks,
    hint: Msg::TileBanksHint,
    icon: Icon::Bank,
};
const TILE_EDITION: Tile = Tile {
    href: "/edition",
    title: Msg::TileEdition,
    hint: Msg::TileEditionHint,
    icon: Icon::Swap,
};
const TILE_ACCOUNT: Tile = Tile {
    href: "/account",
    title: Msg::TileAccount,
    hint: Msg::TileAccountHint,
    icon: Icon::Person,
};
const TILE_ACCOUNTS: Tile = Tile {
    href: "/accounts",
    title: Msg::TileAccounts,
    hint: Msg::TileAccountsHint,
    icon: Icon::Wallet,
};
const TILE_TRANSFER: Tile = Tile {
    href: "/transfer",
    title: Msg::TileTransfer,
    hint: Msg::TileTransferHint,
    icon: Icon::Send,
};
const TILE_DEPOSITS: Tile = Tile {
    href: "/deposits",
    title: Msg::TileDeposits,
    hint: Msg::TileDepositsHint,
    icon: Icon::Coins,
};
const TILE_BILLS: Tile = Tile {
    href: "/bills",
    title: Msg::TileBills,
    hint: Msg::TileBillsHint,
    icon: Icon::Receipt,
};
const TILE_PENSION: Tile = Tile {
    href: "/pension",
    title: Msg::TilePension,
    hint: Msg::TilePensionHint,
    icon: Icon::Calculator,
};
const TILE_SSC: Tile = Tile {
    href: "/ssc",
    title: Msg::TileSsc,
    hint: Msg::TileSscHint,
    icon: Icon::IdCard,
};
const TILE_MEDICAL: Tile = Tile {
    href: "/medical",
    title: Msg::TileMedical,
    hint: Msg::TileMedicalHint,
    icon: Icon::Medical,
};
const TILE_LOAN_CALCULATOR: Tile = Tile {
    href: "/loans/calculator",
    title: Msg::TileLoanCalculator,
    hint: Msg::TileLoanCalculatorHint,
    icon: Icon::Calculator,
};
const TILE_LOANS: Tile = Tile {
    href: "/loans",
    title: Msg::TileLoans,
    hint: Msg::TileLoansHint,
    icon: Icon::Coins,
};
const TILE_JOBS: Tile = Tile {
    href: "/jobs",
    title: Msg::TileJobs,
    hint: Msg::TileJobsHint,
    icon: Icon::Briefcase,
};
const TILE_INBOX: Tile = Tile {
    href: "/inbox",
    title: Msg::TileInbox,
    hint: Msg::TileInboxHint,
    icon: Icon::Bell,
};
const TILE_SETTINGS: Tile = Tile {
    href: "/settings",
    title: Msg::TileSettings,
    hint: Msg::TileSettingsHint,
    icon: Icon::Settings,
};

impl Edition {
    pub const ALL: [Edition; 4] = [
        Edition::City,
        Edition::Rural,
        Edition::CitySimple,
        Edition::RuralSimple,
    ];

    /// The slug used in the cookie, in `?edition=` and in `data-edition`.
    pub fn slug(self) -> &'static str {
        match self {
            Edition::City => "city",
            Edition::Rural => "rural",
            Edition::CitySimple => "city-simple",
            Edition::RuralSimple => "rural-simple",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Edition> {
        Edition::ALL.into_iter().find(|e| e.slug() == slug)
    }

    /// The large-type elder editions (适老化).
    pub fn is_simple(self) -> bool {
        matches!(self, Edition::CitySimple | Edition::RuralSimple)
    }

    pub fn is_rural(self) -> bool {
        matches!(self, Edition::Rural | Edition::RuralSimple)
    }

    pub fn name(self) -> Msg {
        match self {
            Edition::City => Msg::EditionCity,
            Edition::Rural => Msg::EditionRural,
            Edition::CitySimple => Msg::EditionCitySimple,
            Edition::RuralSimple => Msg::EditionRuralSimple,
        }
    }

    /// What the edition is for, in plain words (the chooser shows it).
    pub fn about(self) -> Msg {
        match self {
            Edition::City => Msg::EditionCityAbout,
            Edition::Rural => Msg::EditionRuralAbout,
            Edition::CitySimple => Msg::EditionCitySimpleAbout,
            Edition::RuralSimple => Msg::EditionRuralSimpleAbout,
        }
    }

    /// The short badge under the name in the chooser.
    pub fn feature(self) -> Msg {
        match self {
            Edition::City => Msg::EditionFeatureFull,
            Edition::Rural => Msg::EditionFeatureRural,
            Edition::CitySimple | Edition::RuralSimple => Msg::EditionFeatureLarge,
        }
    }

    /// The bottom navigation. The simple editions keep it to the fewest, largest entries.
    pub fn nav(self) -> &'static [NavItem] {
        match self {
            Edition::City | Edition::Rural => &[
                NAV_HOME,
                NAV_ACCOUNTS,
                NAV_TRANSFER,
                NAV_ACCOUNT,
                NAV_SETTINGS,
            ],
            Edition::CitySimple | Edition::RuralSimple => {
                &[NAV_HOME, NAV_TRANSFER, NAV_ACCOUNT, NAV_SETTINGS]
            }
        }
    }

    /// The home page's service tiles, in the edition's order. The simple editions show at most
    /// six (适老化: few, large entries); the rural ones lead with rural services.
    pub fn home_tiles(self) -> &'static [Tile] {
        match self {
            Edition::City => &[
                TILE_ACCOUNTS,
                TILE_TRANSFER,
                TILE_BILLS,
                TILE_DEPOSITS,
                TILE_LOANS,
                TILE_SSC,
                TILE_MEDICAL,
                TILE_INBOX,
                TILE_ACCOUNT,
                TILE_BANKS,
                TILE_LOAN_CALCULATOR,
                TILE_PENSION,
                TILE_JOBS,
                TILE_EDITION,
                TILE_SETTINGS,
            ],
            Edition::Rural => &[
                TILE_LOANS,
                TILE_BANKS,
                TILE_LOAN_CALCULATOR,
                TILE_ACCOUNTS,
                TILE_TRANSFER,
                TILE_BILLS,
                TILE_SSC,
                TILE_MEDICAL,
                TILE_DEPOSITS,
                TILE_INBOX,
                TILE_ACCOUNT,
                TILE_PENSION,
                TILE_JOBS,
                TILE_SETTINGS,
                TILE_EDITION,
            ],
            // Six at most: the bank directory stays one tap away in the city editions only;
            // the settings are in the bottom navigation.
            Edition::CitySimple | Edition::RuralSimple => &[
                TILE_ACCOUNTS,
                TILE_TRANSFER,
                TILE_DEPOSITS,
                TILE_LOANS,
                TILE_INBOX,
                TILE_ACCOUNT,
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_unknown_is_none() {
        for e in Edition::ALL {
            assert_eq!(Edition::from_slug(e.slug()), Some(e));
        }
        assert_eq!(Edition::from_slug("City"), None, "slugs are exact");
        assert_eq!(Edition::from_slug("gold"), None);
    }

    #[test]
    fn simple_editions_keep_the_home_page_small() {
        for e in Edition::ALL.into_iter().filter(|e| e.is_simple()) {
            assert!(e.home_tiles().len() <= 6, "{e:?}: at most six big tiles");
            assert!(e.nav().len() <= 4, "{e:?}: a short navigation");
        }
    }

    #[test]
    fn every_edition_reaches_settings() {
        // The edition switch must be reachable from every page: settings is in every nav set.
        for e in Edition::ALL {
            assert!(e.nav().iter().any(|n| n.href == "/settings"), "{e:?}");
        }
    }
}

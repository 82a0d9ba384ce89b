//! The few line icons the frame uses, drawn for this project (24×24 grid, stroke = currentColor).

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Home,
    Bank,
    Settings,
    Swap,
    Speaker,
    Person,
    Wallet,
    Send,
    Bell,
    Coins,
    Calculator,
    Receipt,
    IdCard,
    Medical,
    Briefcase,
}

impl Icon {
    fn path(self) -> &'static str {
        match self {
            Icon::Home => "M3 11 12 4l9 7M5 10v10h5v-6h4v6h5V10",
            Icon::Bank => "M3 9 12 4l9 5M4 9h16M6 10v8M10 10v8M14 10v8M18 10v8M3 20h18",
            Icon::Settings => "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6ZM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1",
            Icon::Swap => "M4 8h13l-3-3M20 16H7l3 3",
            Icon::Person => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8ZM4 21a8 8 0 0 1 16 0",
            Icon::Wallet => "M3 7h15a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7Zm0 0V6a2 2 0 0 1 2-2h11M16 13h2",
            Icon::Send => "M4 12h14M13 6l6 6-6 6",
            Icon::Coins => "M12 4c4.4 0 8 1.3 8 3s-3.6 3-8 3-8-1.3-8-3 3.6-3 8-3ZM4 7v5c0 1.7 3.6 3 8 3s8-1.3 8-3V7M4 12v5c0 1.7 3.6 3 8 3s8-1.3 8-3v-5",
            Icon::Calculator => "M6 3h12a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1ZM8 7h8M8 12h.01M12 12h.01M16 12h.01M8 16h.01M12 16h.01M16 16h.01",
            Icon::Receipt => "M6 3h12v18l-3-2-3 2-3-2-3 2V3ZM9 8h6M9 12h6M9 16h3",
            Icon::IdCard => "M3 6h18v12H3V6ZM8 10a2 2 0 1 0 0 .01M5.5 16c.5-2 4.5-2 5 0M13 10h5M13 13h5",
            Icon::Medical => "M9 3h6v6h6v6h-6v6H9v-6H3V9h6V3Z",
            Icon::Briefcase => "M4 8h16v11H4V8ZM9 8V5h6v3M4 13h16",
            Icon::Bell => "M6 16V11a6 6 0 0 1 12 0v5l2 2H4l2-2ZM10 21h4",
            Icon::Speaker => "M4 9v6h4l5 4V5L8 9H4ZM16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11",
        }
    }

    /// The icon as inline SVG, hidden from assistive technology (the label says it).
    pub fn view(self) -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"
                stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
                <path d=self.path()/>
            </svg>
        }
    }
}

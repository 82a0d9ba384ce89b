//! 收支图: money in and out of one account per month, as bars drawn in our own SVG. The bars
//! are geometry only; the figures themselves are real text in a table under the chart (read
//! by screen readers, sized by the edition like any other text, hidden with the balances).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::shown;
use crate::i18n::{Lang, Msg};
use crate::prefs::use_prefs;

/// How many months the chart shows (the stylesheet's `.chart-months` grid has as many columns).
pub const MONTHS: usize = 6;

/// One month of the chart. Bar heights come from the fen amounts; the texts are formatted on
/// the server (`None` while balances are hidden).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthBar {
    pub year: i32,
    pub month: u32,
    pub total_in: i64,
    pub total_out: i64,
    pub in_text: Option<String>,
    pub out_text: Option<String>,
}

#[cfg(feature = "ssr")]
pub fn bars_of(flows: &[domain::ledger::statement::MonthFlow], hidden: bool) -> Vec<MonthBar> {
    use domain::money::format_yuan;
    flows
        .iter()
        .map(|f| MonthBar {
            year: f.month.year,
            month: f.month.month,
            total_in: f.total_in,
            total_out: f.total_out,
            in_text: (!hidden).then(|| format_yuan(f.total_in)),
            out_text: (!hidden).then(|| format_yuan(f.total_out)),
        })
        .collect()
}

fn month_name(lang: Lang, month: u32) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match lang {
        Lang::En => EN[(month.clamp(1, 12) - 1) as usize].to_string(),
        _ => format!("{month}月"),
    }
}

/// Chart geometry in viewBox units.
const WIDTH: i64 = 600;
const HEIGHT: i64 = 200;
const BAR: i64 = 30;

/// Height of a bar for `value` when `max` fills the chart: integer arithmetic, rounded up so
/// any non-zero month stays visible.
pub fn bar_height(value: i64, max: i64) -> i64 {
    if value <= 0 || max <= 0 {
        return 0;
    }
    let h = (i128::from(value) * i128::from(HEIGHT - 4) + i128::from(max) - 1) / i128::from(max);
    (h as i64).max(2)
}

#[component]
pub fn FlowChart(bars: Vec<MonthBar>) -> impl IntoView {
    let prefs = use_prefs();
    let max = bars
        .iter()
        .map(|b| b.total_in.max(b.total_out))
        .max()
        .unwrap_or(0);
    let slot = WIDTH / (bars.len().max(1) as i64);
    let rects = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x = slot * i as i64 + (slot - 2 * BAR - 6) / 2;
            let (hi, ho) = (bar_height(b.total_in, max), bar_height(b.total_out, max));
            view! {
                <rect class="chart-in" x=x y=HEIGHT - hi width=BAR height=hi/>
                <rect class="chart-out" x=x + BAR + 6 y=HEIGHT - ho width=BAR height=ho/>
            }
        })
        .collect_view();
    let labels = bars
        .iter()
        .map(|b| {
            let month = b.month;
            view! { <span>{move || month_name(prefs.lang.get(), month)}</span> }
        })
        .collect_view();
    let rows = bars
        .into_iter()
        .map(|b| {
            view! {
                <tr>
                    <th scope="row">{format!("{}-{:02}", b.year, b.month)}</th>
                    <td class="amount-in">{shown(&b.in_text)}</td>
                    <td class="amount-out">{shown(&b.out_text)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="card mt-4 chart" data-testid="flow-chart">
            <figcaption class="font-bold">{move || prefs.t(Msg::ChartTitle)}</figcaption>
            <p class="chart-legend" aria-hidden="true">
                <span class="chart-swatch chart-in"></span>{move || prefs.t(Msg::ChartIn)}
                <span class="chart-swatch chart-out"></span>{move || prefs.t(Msg::ChartOut)}
            </p>
            // The picture is decorative for assistive technology: the table says the same.
            <svg class="chart-bars" viewBox=format!("0 0 {WIDTH} {HEIGHT}") aria-hidden="true" focusable="false" preserveAspectRatio="none">
                <line class="chart-axis" x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT/>
                {rects}
            </svg>
            <div class="chart-months" aria-hidden="true">{labels}</div>
            <table class="chart-table">
                <caption class="sr-only">{move || prefs.t(Msg::ChartTitle)}</caption>
                <thead><tr>
                    <th scope="col">{move || prefs.t(Msg::ChartMonth)}</th>
                    <th scope="col">{move || prefs.t(Msg::ChartIn)}</th>
                    <th scope="col">{move || prefs.t(Msg::ChartOut)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_month_and_small_months_stay_visible() {
        assert_eq!(bar_height(0, 100), 0);
        assert_eq!(bar_height(100, 100), HEIGHT - 4);
        assert_eq!(bar_height(50, 100), (HEIGHT - 4) / 2);
        assert_eq!(bar_height(1, 1_000_000_000), 2);
        assert_eq!(bar_height(i64::MAX, i64::MAX), HEIGHT - 4, "no overflow");
        assert_eq!(bar_height(5, 0), 0);
    }

    #[test]
    fn months_are_named_in_the_language() {
        assert_eq!(month_name(Lang::ZhCn, 11), "11月");
        assert_eq!(month_name(Lang::En, 11), "Nov");
    }
}

//! The stage-5 chart as SVG: the lessons' worked example of a metric per alarm
//! period, its Average beside its Sum, each against the alarm's threshold. The
//! guide shows the same numbers in the terminal with the learner's own metric.

use crate::lesson::model::TroubleshootExample;
use crate::xml::escape;

/// One panel's size: the whole panel, and the plot inside it.
const PANEL: (f64, f64) = (320.0, 270.0);
/// Where the plot sits in its panel: left, top, right and bottom margins.
const PLOT: (f64, f64, f64, f64) = (14.0, 64.0, 14.0, 56.0);

/// The chart: the Average panel and the Sum panel side by side, or one above the
/// other when `stacked` (for narrow screens).
pub(super) fn draw(example: &TroubleshootExample, stacked: bool) -> String {
    let (panel_w, panel_h) = PANEL;
    let (width, height) = if stacked {
        (panel_w, 2.0 * panel_h)
    } else {
        (2.0 * panel_w, panel_h)
    };
    let top = example
        .periods
        .iter()
        .map(|p| p.sum())
        .fold(example.threshold, f64::max)
        * 1.3;
    let panels = [
        (
            "Average",
            example
                .periods
                .iter()
                .map(|p| p.average())
                .collect::<Vec<_>>(),
        ),
        ("Sum", example.periods.iter().map(|p| p.sum()).collect()),
    ];
    let mut body = String::new();
    for (i, (statistic, values)) in panels.iter().enumerate() {
        let (x, y) = if stacked {
            (0.0, i as f64 * panel_h)
        } else {
            (i as f64 * panel_w, 0.0)
        };
        body.push_str(&panel(example, statistic, values, top, x, y));
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" font-family=\"Helvetica, Arial, sans-serif\">\n  \
         <title id=\"chart-title\">The metric's Average and Sum per period against the threshold</title>\n  \
         <desc id=\"chart-desc\">{}</desc>\n{body}</svg>\n",
        escape(&example.caption)
    )
}

/// One statistic's panel at (`x`, `y`): a bar per period with its value, the
/// threshold as a dashed line, and whether the statistic ever reaches it.
fn panel(
    example: &TroubleshootExample,
    statistic: &str,
    values: &[f64],
    top: f64,
    x: f64,
    y: f64,
) -> String {
    let (panel_w, panel_h) = PANEL;
    let (left, above, right, below) = PLOT;
    let plot_w = panel_w - left - right;
    let plot_h = panel_h - above - below;
    let base = y + panel_h - below;
    let height_of = |value: f64| value / top * plot_h;
    let reaches = values.iter().any(|v| *v >= example.threshold);
    let verdict = if reaches {
        "reaches the threshold: ALARM"
    } else {
        "stays below the threshold: no alarm"
    };
    let colour = if reaches { "#3f8624" } else { "#c7511f" };
    let mut text = format!(
        "  <g font-size=\"15\" text-anchor=\"middle\">\n    \
         <text x=\"{}\" y=\"{}\" font-weight=\"bold\" font-size=\"17\">{statistic} per period</text>\n    \
         <text x=\"{}\" y=\"{}\" fill=\"{colour}\">{verdict}</text>\n    \
         <line x1=\"{}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#444\" stroke-width=\"1.5\"/>\n",
        x + panel_w / 2.0,
        y + 22.0,
        x + panel_w / 2.0,
        y + 44.0,
        x + left,
        x + left + plot_w,
    );
    let slot = plot_w / values.len().max(1) as f64;
    for (n, (value, period)) in values.iter().zip(&example.periods).enumerate() {
        let centre = x + left + slot * (n as f64 + 0.5);
        let bar = height_of(*value);
        text.push_str(&format!(
            "    <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>\n    \
             <text x=\"{centre:.1}\" y=\"{:.1}\">{}</text>\n    \
             <text x=\"{centre:.1}\" y=\"{:.1}\" font-size=\"13\" fill=\"#555\">{} events</text>\n",
            centre - slot * 0.3,
            base - bar,
            slot * 0.6,
            bar,
            base - bar - 6.0,
            number(*value),
            base + 20.0,
            period.events,
        ));
    }
    let line = base - height_of(example.threshold);
    text.push_str(&format!(
        "    <line x1=\"{}\" y1=\"{line:.1}\" x2=\"{}\" y2=\"{line:.1}\" stroke=\"#d13212\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n    \
         <text x=\"{}\" y=\"{:.1}\" font-size=\"13\" fill=\"#d13212\" text-anchor=\"start\">threshold {}</text>\n  </g>\n",
        x + left,
        x + left + plot_w,
        x + left,
        line - 5.0,
        number(example.threshold),
    ));
    text
}

/// A value as people write it: `1`, `0.05`.
fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::model::Period;

    fn example() -> TroubleshootExample {
        TroubleshootExample {
            caption: "one read among nineteen".into(),
            threshold: 1.0,
            periods: vec![
                Period {
                    events: 14,
                    reads: 0,
                },
                Period {
                    events: 20,
                    reads: 1,
                },
            ],
        }
    }

    #[test]
    fn the_average_stays_below_and_the_sum_reaches_the_threshold() {
        let svg = draw(&example(), false);
        let average =
            &svg[svg.find(">Average per period<").unwrap()..svg.find(">Sum per period<").unwrap()];
        let sum = &svg[svg.find(">Sum per period<").unwrap()..];
        assert!(
            average.contains(">0.05<") && average.contains("no alarm"),
            "{average}"
        );
        assert!(sum.contains(">1<") && sum.contains(": ALARM"), "{sum}");
        assert!(svg.contains(">20 events<") && svg.contains("threshold 1"));
    }

    #[test]
    fn stacked_panels_fit_a_phone() {
        let svg = draw(&example(), true);
        assert!(svg.contains("viewBox=\"0 0 320 540\""), "{}", &svg[..200]);
    }

    #[test]
    fn numbers_lose_their_trailing_zeros() {
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.05), "0.05");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(0.0), "0");
    }
}

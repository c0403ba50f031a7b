//! The chain diagram as SVG, drawn from the lessons' `chain`: a box per link and an
//! arrow to the next with what passes along it. The same links are laid out in
//! rows of any width: three to a row for a page, one under another for a phone,
//! so that the text stays at a size people can read.

use crate::lesson::Lab;
use crate::xml::escape;

/// The box colours, in turn.
const COLOURS: [&str; 6] = [
    "#dd344c", "#e7157b", "#c7511f", "#b0084d", "#8c4fff", "#3f8624",
];

/// A box's width and height.
const BOX: (usize, usize) = (190, 64);
/// The gap between boxes side by side, where an arrow's label goes.
const ACROSS: usize = 140;
/// The gap between rows.
const DOWN: usize = 64;
/// The margin around the picture.
const MARGIN: usize = 12;

/// The diagram with `columns` boxes to a row; rows read left to right, and the
/// arrow from the end of one row bends down to the start of the next.
pub(super) fn draw(lab: &Lab, columns: usize, description: &str) -> String {
    let columns = columns.clamp(1, lab.chain.len().max(1));
    let rows = lab.chain.len().div_ceil(columns).max(1);
    let (box_w, box_h) = BOX;
    // One under another, the arrows' labels stand to the right of the boxes' middle.
    let beside = if columns == 1 { ACROSS } else { 0 };
    let width = 2 * MARGIN + columns * box_w + (columns - 1) * ACROSS + beside;
    let height = 2 * MARGIN + rows * box_h + (rows - 1) * DOWN;
    // The top-left corner of link `i`'s box.
    let corner = |i: usize| {
        (
            MARGIN + (i % columns) * (box_w + ACROSS),
            MARGIN + (i / columns) * (box_h + DOWN),
        )
    };
    let mut boxes = String::new();
    let mut arrows = String::new();
    let mut labels = String::new();
    for (i, link) in lab.chain.iter().enumerate() {
        let (x, y) = corner(i);
        let centre = x + box_w / 2;
        boxes.push_str(&format!(
            "    <rect x=\"{x}\" y=\"{y}\" width=\"{box_w}\" height=\"{box_h}\" rx=\"10\" fill=\"{}\"/>\n    \
             <text x=\"{centre}\" y=\"{}\" fill=\"#fff\" font-weight=\"bold\">{}</text>\n    \
             <text x=\"{centre}\" y=\"{}\" fill=\"#fff\" font-size=\"15\">{}</text>\n",
            COLOURS[i % COLOURS.len()],
            y + 28,
            escape(&link.service),
            y + 50,
            escape(&link.part)
        ));
        if i + 1 == lab.chain.len() {
            continue;
        }
        let then = link.then.as_deref().map(escape).unwrap_or_default();
        let (next_x, next_y) = corner(i + 1);
        if next_y == y {
            // Side by side: a straight arrow, its label above it.
            let middle = y + box_h / 2;
            arrows.push_str(&format!(
                "    <line x1=\"{}\" y1=\"{middle}\" x2=\"{}\" y2=\"{middle}\"/>\n",
                x + box_w + 3,
                next_x - 4
            ));
            labels.push_str(&format!(
                "    <text x=\"{}\" y=\"{}\">{then}</text>\n",
                x + box_w + ACROSS / 2,
                middle - 10
            ));
        } else if columns == 1 {
            // One under another: a short arrow down, its label beside it.
            arrows.push_str(&format!(
                "    <line x1=\"{centre}\" y1=\"{}\" x2=\"{centre}\" y2=\"{}\"/>\n",
                y + box_h + 3,
                next_y - 4
            ));
            labels.push_str(&format!(
                "    <text x=\"{}\" y=\"{}\" text-anchor=\"start\">{then}</text>\n",
                centre + 14,
                y + box_h + DOWN / 2 + 5
            ));
        } else {
            // From the end of a row to the start of the next: down, back, down.
            let bend = y + box_h + DOWN / 2;
            let next_centre = next_x + box_w / 2;
            arrows.push_str(&format!(
                "    <path fill=\"none\" d=\"M {centre} {} V {bend} H {next_centre} V {}\"/>\n",
                y + box_h + 3,
                next_y - 4
            ));
            labels.push_str(&format!(
                "    <text x=\"{}\" y=\"{}\">{then}</text>\n",
                (centre + next_centre) / 2,
                bend - 8
            ));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"title desc\" font-family=\"Helvetica, Arial, sans-serif\">\n  \
         <title id=\"title\">The monitoring chain</title>\n  \
         <desc id=\"desc\">{}</desc>\n  \
         <defs>\n    <marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\n      \
         <path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#444\"/>\n    </marker>\n  </defs>\n  \
         <g font-size=\"17\" text-anchor=\"middle\">\n{boxes}  </g>\n  \
         <g stroke=\"#444\" stroke-width=\"2.5\" marker-end=\"url(#arrow)\">\n{arrows}  </g>\n  \
         <g font-size=\"15\" fill=\"#333\" text-anchor=\"middle\">\n{labels}  </g>\n</svg>\n",
        escape(description)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(svg: &str, attribute: &str) -> Vec<usize> {
        svg.split(&format!(" {attribute}=\""))
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn every_layout_has_a_box_per_link_inside_the_picture() {
        let lab = crate::lesson::load(&crate::lesson::LessonSource::default()).unwrap();
        for columns in [1, 3, 6] {
            let svg = draw(&lab, columns, "the chain");
            assert_eq!(svg.matches("<rect").count(), lab.chain.len());
            let width = numbers(&svg, "width")[0];
            let xs = numbers(&svg, "x");
            assert!(
                xs.iter().all(|x| *x < width),
                "{columns} columns: {xs:?} in {width}"
            );
            // Every link but the last has an arrow.
            let arrows = svg.matches("<line").count() + svg.matches("<path fill=\"none\"").count();
            assert_eq!(arrows, lab.chain.len() - 1);
        }
    }

    #[test]
    fn a_single_column_is_narrow_enough_for_a_phone() {
        let lab = crate::lesson::load(&crate::lesson::LessonSource::default()).unwrap();
        let width = numbers(&draw(&lab, 1, "the chain"), "width")[0];
        // Shown at its own size on a 400 px screen, text stays at 15 px or more.
        assert!(width <= 380, "{width}");
    }
}

//! Social cards: a page's 1200x630 PNG for `og:image`, drawn from the
//! theme's `card.svg` template (its title, the site's title and the
//! headline of the data it shows) with resvg. The fonts are the two DejaVu
//! Sans files in fonts/, embedded in the binary; no system font is loaded,
//! so a card is the same bytes on every machine.

use std::sync::{Arc, OnceLock};

use resvg::usvg::{self, fontdb};
use serde::Serialize;
use skrifa::MetadataProvider;

/// Width and height of a card, in pixels (what OpenGraph readers crop to).
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The template a card is drawn from.
pub const TEMPLATE: &str = "card.svg";

/// The family name of the embedded fonts: every family a card's SVG
/// names falls back to it.
pub const FAMILY: &str = "DejaVu Sans";

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// What the data a page shows says in one line: a matrix's tally, or a
/// figure, with where it comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Headline {
    /// "Node.js 4, Python 3, tie 1", "2.9x slower".
    pub text: String,
    /// A matrix's title, or where a figure comes from.
    pub detail: String,
    /// A matrix's tally outranks a figure.
    #[serde(skip)]
    pub from_matrix: bool,
}

/// What `card.svg` sees as `card` (besides `site`).
#[derive(Debug, Serialize)]
pub struct CardView<'a> {
    pub width: u32,
    pub height: u32,
    /// The page's title.
    pub title: &'a str,
    /// The site's title, cut to fit beside the logo (30 pixels, regular).
    pub site_title: String,
    /// The title broken into lines that fit 1040 pixels at `title_size`
    /// (in bold): at most four, three with a headline, the last cut short
    /// with `…`.
    pub title_lines: Vec<String>,
    pub title_size: u32,
    /// `index`, `section` or `page`.
    pub kind: &'a str,
    pub headline: Option<&'a Headline>,
    /// The headline's text and detail cut to fit one line each.
    pub headline_text: String,
    pub headline_detail: String,
}

/// Room for text: the card less a 80-pixel margin each side.
const TEXT_WIDTH: f32 = (WIDTH - 160) as f32;

impl<'a> CardView<'a> {
    pub fn new(
        title: &'a str,
        site_title: &str,
        kind: &'a str,
        headline: Option<&'a Headline>,
    ) -> Self {
        // The title gets smaller until it fits in the lines a card has
        // room for (fewer with a headline below it).
        let most = if headline.is_some() { 3 } else { 4 };
        let (title_size, title_lines) = [72u32, 60, 52, 44]
            .iter()
            .map(|&size| (size, wrap(title, size as f32, TEXT_WIDTH, usize::MAX)))
            .find(|(_, lines)| lines.len() <= most)
            .unwrap_or_else(|| (44, wrap(title, 44.0, TEXT_WIDTH, most)));
        Self {
            width: WIDTH,
            height: HEIGHT,
            title,
            site_title: fit(site_title, 30.0, TEXT_WIDTH - 68.0, false),
            title_lines,
            title_size,
            kind,
            headline,
            headline_text: headline
                .map(|h| fit(&h.text, 44.0, TEXT_WIDTH - 28.0, true))
                .unwrap_or_default(),
            headline_detail: headline
                .map(|h| fit(&h.detail, 26.0, TEXT_WIDTH - 28.0, false))
                .unwrap_or_default(),
        }
    }
}

/// The embedded fonts, loaded once.
fn fonts() -> &'static Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(Arc::new(REGULAR)));
        db.load_font_source(fontdb::Source::Binary(Arc::new(BOLD)));
        db.set_serif_family(FAMILY);
        db.set_sans_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
}

/// The width of `text` in pixels at `size`, in bold or regular.
fn width(text: &str, size: f32, bold: bool) -> f32 {
    let Ok(font) = skrifa::FontRef::new(if bold { BOLD } else { REGULAR }) else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(
        skrifa::instance::Size::new(size),
        skrifa::instance::LocationRef::default(),
    );
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.6)
        })
        .sum()
}

/// `text` broken at spaces into lines of at most `max` pixels in bold at
/// `size` (a word longer than a line is cut); past `most` lines, the last
/// one kept ends with `…`.
fn wrap(text: &str, size: f32, max: f32, most: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, true) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
        while width(&line, size, true) > max && line.chars().count() > 1 {
            let cut = fit(&line, size, max, true);
            if cut.len() <= '…'.len_utf8() {
                break;
            }
            let rest = line[cut.len() - '…'.len_utf8()..].to_string();
            lines.push(cut[..cut.len() - '…'.len_utf8()].to_string());
            line = rest;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > most {
        lines.truncate(most);
        if let Some(last) = lines.last_mut() {
            *last = fit(&format!("{last} …"), size, max, true);
            if !last.ends_with('…') {
                last.push('…');
            }
        }
    }
    lines
}

/// `text` as it fits in `max` pixels at `size`: whole, or cut and ended
/// with `…`.
fn fit(text: &str, size: f32, max: f32, bold: bool) -> String {
    if width(text, size, bold) <= max {
        return text.to_string();
    }
    let room = max - width("…", size, bold);
    let mut used = 0.0;
    let mut end = 0;
    for (at, c) in text.char_indices() {
        used += width(c.encode_utf8(&mut [0; 4]), size, bold);
        if used > room {
            break;
        }
        end = at + c.len_utf8();
    }
    format!("{}…", text[..end].trim_end())
}

/// A page's `og:image`, as `page.image` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// Absolute URL.
    pub url: String,
    /// Known for a drawn card (1200x630), not for a page's own image.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Says what the image shows: the page's title.
    pub alt: String,
}

/// Where the card of the page written at `output` goes:
/// `guide/intro.html` -> `cards/guide/intro.png`.
pub fn path_of(output: &str) -> String {
    let stem = output.strip_suffix(".html").unwrap_or(output);
    format!("cards/{stem}.png")
}

/// What a page's `og:image` is.
#[derive(Debug, PartialEq)]
pub enum Plan {
    /// None: no `base_url`, or no card for this page.
    Nothing,
    /// The page's own image, at this absolute URL.
    Own(String),
    /// A card to draw, written at this output path.
    Card(String),
}

/// Which image page `page` (of `kind`) gets: its own `image`, or a card
/// when `cards` asks for one (`shows_data`: its body showed a matrix or
/// results). Needs `base_url` to name it; an own `image` that is not
/// among `assets` (paths under content/) is an error either way.
pub fn plan(
    page: &crate::content::Page,
    kind: &str,
    shows_data: bool,
    cards: crate::config::Cards,
    base_url: Option<&str>,
    is_asset: &dyn Fn(&str) -> bool,
) -> Result<Plan, crate::report::diagnostic::Diagnostic> {
    use crate::config::Cards;
    if let Some(image) = &page.meta.image {
        let url = own_image(page, image, is_asset)?;
        return Ok(match base_url {
            Some(base) if !crate::text::paths::is_external(&url) => {
                Plan::Own(format!("{base}/{url}"))
            }
            Some(_) => Plan::Own(url),
            None => Plan::Nothing,
        });
    }
    let wanted = match cards {
        Cards::All => true,
        Cards::None => false,
        Cards::Auto => kind != "page" || shows_data,
    };
    Ok(if wanted && base_url.is_some() {
        Plan::Card(path_of(&page.output))
    } else {
        Plan::Nothing
    })
}

/// The image files an `og:image` may be.
const IMAGE_TYPES: &[&str] = &["png", "jpg", "jpeg", "gif", "webp"];

/// A page's own `image`: an `http(s)://` URL as written, else the content
/// file it names (beside the page, or from content/ with a leading `/`)
/// as a path under the output folder.
fn own_image(
    page: &crate::content::Page,
    image: &str,
    is_asset: &dyn Fn(&str) -> bool,
) -> Result<String, crate::report::diagnostic::Diagnostic> {
    use crate::report::diagnostic::Diagnostic;
    let lower = image.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Ok(image.to_string());
    }
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let base = crate::text::paths::parent_dir(&page.rel);
    let rel = crate::text::paths::join(base, image);
    let problem = if !IMAGE_TYPES.contains(&ext) {
        format!("`image = \"{image}\"` is not a PNG, JPEG, GIF or WebP file")
    } else {
        match &rel {
            Some(rel) if is_asset(rel) => return Ok(rel.clone()),
            Some(rel) => format!("`image`: no file content/{rel}"),
            None => format!("`image = \"{image}\"` leads out of content/"),
        }
    };
    let d = Diagnostic::error(problem).with_help(
        "name a PNG, JPEG, GIF or WebP file beside the page (`cover.png`), \
         from content/ (`/img/cover.png`), or an https:// URL",
    );
    Err(match page.with_text() {
        Ok(p) => {
            let span = value_span(&p.text[..p.body.start.min(p.text.len())], "image");
            d.at(&page.shown, &p.text, span.unwrap_or(0..3.min(p.text.len())))
        }
        Err(_) => d.with_note(format!("in {}", page.shown.display())),
    })
}

/// Where the value of front matter key `key` is (TOML `key = ...` or
/// YAML `key: ...`) in `front` (the text before the body).
fn value_span(front: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut at = 0;
    for line in front.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let Some(rest) = line.strip_prefix(key) else {
            continue;
        };
        let trimmed = rest.trim_start();
        let Some(value) = trimmed.strip_prefix(['=', ':']) else {
            continue;
        };
        let value_start = start + line.len() - value.len();
        let lead = value.len() - value.trim_start().len();
        let len = value.trim().len();
        return Some(value_start + lead..value_start + lead + len.max(1));
    }
    None
}

/// The PNG of page `i`'s card: `card.svg` rendered with `view`, drawn.
pub fn draw(
    renderer: &super::Renderer,
    i: usize,
    page: &crate::content::Page,
    view: &CardView<'_>,
) -> Result<Vec<u8>, crate::report::diagnostic::Diagnostic> {
    let mut ctx = tera::Context::new();
    ctx.insert("card", view);
    super::for_page(&mut ctx, i);
    let svg = renderer.render(TEMPLATE, &ctx, &page.shown)?;
    rasterize(&svg).map_err(|e| {
        crate::report::diagnostic::Diagnostic::error(format!("template `{TEMPLATE}`: {e}"))
            .with_note(format!(
                "while drawing the card of {}",
                page.shown.display()
            ))
    })
}

/// Why a card's SVG could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("the SVG it made is not valid: {0}")]
    Svg(#[from] usvg::Error),
    #[error("its SVG is {0}x{1}, not {WIDTH}x{HEIGHT}")]
    Size(f32, f32),
    #[error("cannot encode the PNG: {0}")]
    Png(#[from] png::EncodingError),
}

/// The PNG of a card's SVG: 1200x630, drawn with the embedded fonts only;
/// `<image>` elements may hold `data:` URLs, never files.
pub fn rasterize(svg: &str) -> Result<Vec<u8>, CardError> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: Arc::clone(fonts()),
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree.size();
    if size.width().round() as u32 != WIDTH || size.height().round() as u32 != HEIGHT {
        return Err(CardError::Size(size.width(), size.height()));
    }
    let Some(mut pixmap) = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT) else {
        return Err(CardError::Size(0.0, 0.0));
    };
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode(&pixmap)
}

/// The pixels as a PNG: RGB when every pixel is opaque (a third smaller),
/// compressed fast (a card is mostly flat colour).
fn encode(pixmap: &resvg::tiny_skia::Pixmap) -> Result<Vec<u8>, CardError> {
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == 255);
    let data: Vec<u8> = if opaque {
        pixmap
            .pixels()
            .iter()
            .flat_map(|p| [p.red(), p.green(), p.blue()])
            .collect()
    } else {
        pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect()
    };
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(if opaque {
        png::ColorType::Rgb
    } else {
        png::ColorType::Rgba
    });
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#1f2328"/><text x="80" y="200" font-size="72" font-weight="bold" fill="#fff">Node.js vs Python</text></svg>"##;

    #[test]
    fn a_card_is_a_1200_by_630_png_and_the_same_bytes_twice() {
        let a = rasterize(SVG).expect("draws");
        let b = rasterize(SVG).expect("draws");
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(u32::from_be_bytes([a[16], a[17], a[18], a[19]]), WIDTH);
        assert_eq!(u32::from_be_bytes([a[20], a[21], a[22], a[23]]), HEIGHT);
        assert_eq!(a, b);
        // The text was drawn: the card is not one flat colour.
        let blank = rasterize(&SVG.replace("Node.js vs Python", "")).expect("draws");
        assert_ne!(a, blank);
    }

    #[test]
    fn a_card_of_another_size_or_not_svg_is_refused() {
        let small = SVG.replace("width=\"1200\"", "width=\"600\"");
        assert!(matches!(rasterize(&small), Err(CardError::Size(..))));
        assert!(matches!(rasterize("<html>"), Err(CardError::Svg(_))));
    }

    #[test]
    fn cards_go_under_cards_by_output_path() {
        assert_eq!(path_of("index.html"), "cards/index.png");
        assert_eq!(path_of("guide/intro.html"), "cards/guide/intro.png");
        assert_eq!(
            value_span("+++\nimage = \"a.png\"\n", "image"),
            Some(12..19)
        );
        assert_eq!(value_span("---\nimage: a.png\n", "image"), Some(11..16));
        assert_eq!(value_span("+++\nimages = 1\n", "image"), None);
    }

    #[test]
    fn titles_wrap_to_fit_and_long_ones_are_cut() {
        let short = CardView::new("Speed", "Site", "page", None);
        assert_eq!((short.title_size, short.title_lines.len()), (72, 1));
        let long = "How the event loop and the GIL decide what a backend can do ".repeat(6);
        let view = CardView::new(&long, "Site", "page", None);
        assert_eq!(view.title_size, 44);
        assert_eq!(view.title_lines.len(), 4);
        assert!(view.title_lines[3].ends_with('…'), "{:?}", view.title_lines);
        for line in &view.title_lines {
            assert!(width(line, 44.0, true) <= TEXT_WIDTH, "{line}");
        }
        let word = "x".repeat(200);
        let view = CardView::new(&word, "Site", "page", None);
        assert!(
            view.title_lines
                .iter()
                .all(|l| width(l, 44.0, true) <= TEXT_WIDTH)
        );
    }
}

//! 资讯图片: pictures an editor uploads for content. Nothing of the upload reaches a customer as
//! it came: it is decoded (JPEG, PNG, GIF or WebP; its size checked before any pixel is
//! decoded), made at most 1200 × 1600 pixels, and encoded afresh (PNG when it has transparency,
//! JPEG otherwise), which leaves behind every piece of metadata (camera, GPS position, comments)
//! and anything hidden in the file. The result is stored in the database, so every node serves
//! it (`/media/<id>`), and a body refers to it as `![说明](/media/<id>)`.

use std::io::Cursor;

use base64::Engine as _;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use sqlx::Row;

use super::Content;
use crate::audit::{self, Action, Entry};
use crate::ops::{Role, StaffMember};
use crate::{Error, Input, Result};

/// The largest upload taken, in bytes.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// The largest picture decoded, per side: a small file can still claim to be enormous.
const MAX_SOURCE_SIDE: u32 = 8_000;
/// What a stored picture fits in: wide enough for a phone's screen at twice its density.
const MAX_STORED: (u32, u32) = (1_200, 1_600);
const JPEG_QUALITY: u8 = 85;

/// Whether `id` has the shape of a stored picture's id (what `/media/<id>` may name).
pub fn is_image_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A picture as stored and served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredImage {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

fn refused(rule: &str) -> Error {
    Error::invalid(Input::ContentImage, rule.into())
}

/// The upload decoded within limits and encoded afresh, with its width and height.
pub fn reencode(upload: &[u8]) -> Result<(StoredImage, u32, u32)> {
    if upload.is_empty() || upload.len() > MAX_UPLOAD_BYTES {
        return Err(refused("1 byte to 5 MiB"));
    }
    let mut reader = ImageReader::new(Cursor::new(upload))
        .with_guessed_format()
        .map_err(|_| refused("readable"))?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP) => {}
        _ => return Err(refused("JPEG, PNG, GIF or WebP")),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader
        .decode()
        .map_err(|_| refused("decodable within 8000 × 8000 pixels"))?;
    let (max_w, max_h) = MAX_STORED;
    let picture = if decoded.width() > max_w || decoded.height() > max_h {
        decoded.resize(max_w, max_h, image::imageops::FilterType::Triangle)
    } else {
        decoded
    };
    let (width, height) = (picture.width(), picture.height());
    let mut bytes = Vec::new();
    let content_type = if picture.color().has_alpha() {
        DynamicImage::ImageRgba8(picture.to_rgba8())
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .map_err(|e| Error::Internal(format!("png: {e}")))?;
        "image/png"
    } else {
        let rgb = DynamicImage::ImageRgb8(picture.to_rgb8());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
            .encode_image(&rgb)
            .map_err(|e| Error::Internal(format!("jpeg: {e}")))?;
        "image/jpeg"
    };
    Ok((
        StoredImage {
            content_type,
            bytes,
        },
        width,
        height,
    ))
}

impl Content<'_> {
    /// Stores an editor's upload, re-encoded; returns its id (`/media/<id>`).
    pub async fn upload_image(&self, by: &StaffMember, upload: Vec<u8>) -> Result<String> {
        by.require(Role::Editor)?;
        // Decoding is CPU work: off the request threads.
        let (image, width, height) = tokio::task::spawn_blocking(move || reencode(&upload))
            .await
            .map_err(|e| Error::Internal(format!("re-encoding stopped: {e}")))??;
        let id = crate::id::new_id();
        let data = base64::engine::general_purpose::STANDARD.encode(&image.bytes);
        {
            let _turn = self.db.write_turn().await;
            sqlx::query(
                "INSERT INTO content_images (id, institution, content_type, data, width, height, \
                 bytes, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&id)
            .bind(&by.institution)
            .bind(image.content_type)
            .bind(&data)
            .bind(i64::from(width))
            .bind(i64::from(height))
            .bind(image.bytes.len() as i64)
            .bind(&by.id)
            .bind(self.clock.now())
            .execute(self.db.pool())
            .await?;
        }
        audit::append(
            self.db,
            self.clock,
            Entry {
                actor: &by.actor(),
                action: Action::ContentImageUploaded,
                subject: &id,
                detail: serde_json::json!({
                    "institution": by.institution,
                    "width": width,
                    "height": height,
                    "bytes": image.bytes.len(),
                }),
            },
        )
        .await?;
        Ok(id)
    }

    /// A stored picture, to serve.
    pub async fn image(&self, id: &str) -> Result<Option<StoredImage>> {
        let row = sqlx::query("SELECT content_type, data FROM content_images WHERE id = $1")
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let content_type: String = r.try_get("content_type")?;
        let data: String = r.try_get("data")?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| Error::Internal(format!("stored image: {e}")))?;
        Ok(Some(StoredImage {
            content_type: if content_type == "image/png" {
                "image/png"
            } else {
                "image/jpeg"
            },
            bytes,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), format).unwrap();
        out
    }

    #[test]
    fn a_photo_is_made_smaller_and_loses_its_metadata() {
        let photo = DynamicImage::ImageRgb8(image::RgbImage::from_fn(2400, 1800, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }));
        let mut jpeg = encoded(&photo, ImageFormat::Jpeg);
        // An EXIF segment with a GPS-like marker right after the start of the file.
        let exif = b"Exif\0\0GPSLatitude 36.65N";
        let mut segment = vec![0xFF, 0xE1];
        segment.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        segment.extend_from_slice(exif);
        jpeg.splice(2..2, segment);
        let (stored, w, h) = reencode(&jpeg).unwrap();
        assert_eq!((w, h), (1200, 900), "fits 1200 × 1600, proportions kept");
        assert_eq!(stored.content_type, "image/jpeg");
        let text = String::from_utf8_lossy(&stored.bytes);
        assert!(!text.contains("GPSLatitude") && !text.contains("Exif"));
        let again = image::load_from_memory(&stored.bytes).unwrap();
        assert_eq!((again.width(), again.height()), (1200, 900));
    }

    #[test]
    fn transparency_stays_png_and_a_small_picture_keeps_its_size() {
        let logo = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            64,
            48,
            image::Rgba([20, 100, 40, 128]),
        ));
        let (stored, w, h) = reencode(&encoded(&logo, ImageFormat::Png)).unwrap();
        assert_eq!((stored.content_type, w, h), ("image/png", 64, 48));
    }

    #[test]
    fn what_is_not_a_picture_or_too_big_is_refused() {
        let refused_as = |bytes: &[u8]| match reencode(bytes) {
            Err(Error::Invalid { input, .. }) => input,
            other => panic!("{other:?}"),
        };
        assert_eq!(refused_as(b""), Input::ContentImage);
        assert_eq!(refused_as(b"<svg onload=alert(1)>"), Input::ContentImage);
        assert_eq!(
            refused_as(&vec![0u8; MAX_UPLOAD_BYTES + 1]),
            Input::ContentImage
        );
        // A PNG header claiming 20000 × 20000 pixels: refused before decoding.
        let small = DynamicImage::ImageRgb8(image::RgbImage::new(4, 4));
        let mut png = encoded(&small, ImageFormat::Png);
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        assert_eq!(refused_as(&png), Input::ContentImage);
    }
}

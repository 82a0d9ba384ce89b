//! 上传图片: an editor's picture for a body, a plain multipart form to the server's upload
//! (`server/src/media.rs`), which re-encodes it and sends the browser back here with the new
//! picture's id (shown as the Markdown to put in the body) or the reason it was refused.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Where the form posts (the server's route).
pub const UPLOAD_PATH: &str = "/ops/media";

/// Why an upload was refused, as the server names it in `?image_error=`.
fn refusal(reason: &str) -> Msg {
    match reason {
        "not_image" => Msg::OpsImageNotImage,
        "too_large" => Msg::OpsImageTooLarge,
        "missing" => Msg::OpsImageMissing,
        "not_permitted" => Msg::ErrorNotPermitted,
        _ => Msg::OpsImageFailed,
    }
}

/// The upload form; `back` is this page's path, where the server sends the browser back to.
#[component]
pub fn ImageUpload(back: String) -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let uploaded = move || {
        query.with(|q| q.get("image")).filter(|id| {
            id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    };
    let refused = move || query.with(|q| q.get("image_error")).map(|r| refusal(&r));
    view! {
        <section class="card form-stack console-narrow mt-6" aria-labelledby="image-upload-title">
            <h2 id="image-upload-title" class="section-title">{move || prefs.t(Msg::OpsImageTitle)}</h2>
            {move || uploaded().map(|id| view! {
                <p role="status" data-testid="image-uploaded">{prefs.t(Msg::OpsImageUploaded)} " "
                    <code data-testid="image-markdown">{format!("![图片说明](/media/{id})")}</code></p>
            })}
            {move || refused().map(|m| view! {
                <p role="alert" class="rounded-lg border-2 border-danger bg-danger-soft px-4 py-3 text-danger">{prefs.t(m)}</p>
            })}
            <form method="post" action=UPLOAD_PATH enctype="multipart/form-data" class="form-stack">
                <input type="hidden" name="back" value=back/>
                <label class="field-label">{move || prefs.t(Msg::OpsImageFile)}
                    <input class="field" type="file" name="image" required
                        accept="image/jpeg,image/png,image/gif,image/webp" data-testid="image-file"/></label>
                <p class="text-muted">{move || prefs.t(Msg::OpsImageHint)}</p>
                <button type="submit" class="btn-secondary" data-testid="image-upload">{move || prefs.t(Msg::OpsImageUpload)}</button>
            </form>
        </section>
    }
}

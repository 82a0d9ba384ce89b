//! A software passkey authenticator for tests: it answers the server's WebAuthn challenges the
//! way a phone's platform authenticator does (P-256 key, "none" attestation, user verified,
//! a signature counter that goes up), so registration, sign-in and step-up run end to end
//! without a browser. The browser suite uses Chromium's virtual authenticator instead.

use p256::ecdsa::{signature::Signer, Signature, SigningKey};
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};
use webauthn_rs_proto::{AuthenticatorAssertionResponseRaw, AuthenticatorAttestationResponseRaw};

/// User present, user verified (fingerprint or face), attested credential data included.
const FLAG_UP: u8 = 0x01;
const FLAG_UV: u8 = 0x04;
const FLAG_AT: u8 = 0x40;

/// One authenticator holding one credential (like a phone with one passkey for this site).
pub struct SoftAuthenticator {
    key: SigningKey,
    credential_id: Vec<u8>,
    origin: String,
    user_handle: Vec<u8>,
    counter: u32,
    /// Clears the user-verified flag, to prove the server insists on it.
    pub skip_verification: bool,
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// CBOR head for a major type and length (RFC 8949 §3), for the few items we write.
fn cbor_head(major: u8, len: usize, out: &mut Vec<u8>) {
    let m = major << 5;
    match len {
        0..=23 => out.push(m | len as u8),
        24..=0xff => out.extend([m | 24, len as u8]),
        _ => {
            out.push(m | 25);
            out.extend((len as u16).to_be_bytes());
        }
    }
}

fn cbor_text(s: &str, out: &mut Vec<u8>) {
    cbor_head(3, s.len(), out);
    out.extend(s.as_bytes());
}

fn cbor_bytes(b: &[u8], out: &mut Vec<u8>) {
    cbor_head(2, b.len(), out);
    out.extend(b);
}

impl SoftAuthenticator {
    /// `seed` makes the key and credential id (different seeds: different devices).
    pub fn new(origin: &str, seed: u8) -> Self {
        let mut scalar = [0u8; 32];
        scalar[0] = 0x11;
        scalar[31] = seed.max(1);
        SoftAuthenticator {
            key: SigningKey::from_slice(&scalar).expect("a valid P-256 scalar"),
            credential_id: (0..16).map(|i| seed ^ (i * 7)).collect(),
            origin: origin.trim_end_matches('/').to_string(),
            user_handle: Vec::new(),
            counter: 0,
            skip_verification: false,
        }
    }

    fn client_data(&self, kind: &str, challenge: &[u8]) -> Vec<u8> {
        format!(
            r#"{{"type":"{kind}","challenge":"{}","origin":"{}","crossOrigin":false}}"#,
            b64(challenge),
            self.origin
        )
        .into_bytes()
    }

    fn flags(&self, extra: u8) -> u8 {
        let uv = if self.skip_verification { 0 } else { FLAG_UV };
        FLAG_UP | uv | extra
    }

    /// Answers `navigator.credentials.create()`.
    pub fn create(&mut self, options: &CreationChallengeResponse) -> RegisterPublicKeyCredential {
        let o = &options.public_key;
        self.user_handle = o.user.id.to_vec();
        self.counter += 1;
        let point = self.key.verifying_key().to_sec1_point(false);
        let xy = &point.as_bytes()[1..];
        // COSE_Key: {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21];
        cbor_bytes(&xy[..32], &mut cose);
        cose.push(0x22);
        cbor_bytes(&xy[32..], &mut cose);
        let mut auth_data = Sha256::digest(o.rp.id.as_bytes()).to_vec();
        auth_data.push(self.flags(FLAG_AT));
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0u8; 16]); // AAGUID
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(cose);
        let mut attestation = vec![0xa3];
        cbor_text("fmt", &mut attestation);
        cbor_text("none", &mut attestation);
        cbor_text("attStmt", &mut attestation);
        attestation.push(0xa0);
        cbor_text("authData", &mut attestation);
        cbor_bytes(&auth_data, &mut attestation);
        RegisterPublicKeyCredential {
            id: b64(&self.credential_id),
            raw_id: self.credential_id.clone(),
            response: AuthenticatorAttestationResponseRaw {
                attestation_object: attestation,
                client_data_json: self.client_data("webauthn.create", &o.challenge),
                transports: None,
            },
            type_: "public-key".into(),
            extensions: Default::default(),
        }
    }

    /// Answers `navigator.credentials.get()`, with the user handle as a discoverable
    /// credential does.
    pub fn get(&mut self, options: &RequestChallengeResponse) -> PublicKeyCredential {
        let o = &options.public_key;
        self.counter += 1;
        let mut auth_data = Sha256::digest(o.rp_id.as_bytes()).to_vec();
        auth_data.push(self.flags(0));
        auth_data.extend(self.counter.to_be_bytes());
        let client_data = self.client_data("webauthn.get", &o.challenge);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        PublicKeyCredential {
            id: b64(&self.credential_id),
            raw_id: self.credential_id.clone(),
            response: AuthenticatorAssertionResponseRaw {
                authenticator_data: auth_data,
                client_data_json: client_data,
                signature: signature.to_der().as_bytes().to_vec(),
                user_handle: Some(self.user_handle.clone()),
            },
            extensions: Default::default(),
            type_: "public-key".into(),
        }
    }

    /// The same device answering with a counter that went backwards (a cloned key).
    pub fn rewind_counter(&mut self) {
        self.counter = 0;
    }
}

//! TLS setup: WebPKI validation, optional extra roots, and optional pinning of the leaf certificate's
//! SubjectPublicKeyInfo (SPKI) SHA-256 on top of (never instead of) normal validation.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};

use crate::CoreError;

/// The SHA-256 of a DER certificate's SubjectPublicKeyInfo (the full SEQUENCE), or `None` if it does not parse.
pub fn spki_sha256(cert_der: &[u8]) -> Option<[u8; 32]> {
    let der = CertificateDer::from(cert_der);
    let cert = webpki::EndEntityCert::try_from(&der).ok()?;
    Some(Sha256::digest(cert.subject_public_key_info().as_ref()).into())
}

/// Whether the certificate's SPKI hash is one of `pins` (an unparsable certificate never matches).
pub fn pin_matches(cert_der: &[u8], pins: &[[u8; 32]]) -> bool {
    spki_sha256(cert_der).is_some_and(|h| pins.contains(&h))
}

/// Accepts a server only when WebPKI validation passes and the leaf's SPKI hash is pinned.
#[derive(Debug)]
pub struct PinnedVerifier {
    inner: Arc<WebPkiServerVerifier>,
    pins: Vec<[u8; 32]>,
}

impl PinnedVerifier {
    /// Wraps `inner` (normal validation) with the pin set `pins`.
    pub fn new(inner: Arc<WebPkiServerVerifier>, pins: Vec<[u8; 32]>) -> Self {
        Self { inner, pins }
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)?;
        if pin_matches(end_entity, &self.pins) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

fn tls_setup_error(detail: &str) -> CoreError {
    CoreError::Validation { code: "invalid_tls_config".into(), detail: detail.into() }
}

/// The WebPKI verifier over the Mozilla roots plus `extra_roots` (DER).
pub fn webpki_verifier(
    extra_roots: &[Vec<u8>],
    provider: Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>, CoreError> {
    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    for der in extra_roots {
        roots
            .add(CertificateDer::from(der.clone()))
            .map_err(|_| tls_setup_error("an extra root certificate could not be parsed"))?;
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .map_err(|_| tls_setup_error("the certificate verifier could not be built"))
}

/// A rustls client configuration when pins or extra roots are set; `None` means reqwest's default
/// (WebPKI roots, same crypto provider) is enough.
pub fn client_config(pins: &[[u8; 32]], extra_roots: &[Vec<u8>]) -> Result<Option<ClientConfig>, CoreError> {
    if pins.is_empty() && extra_roots.is_empty() {
        return Ok(None);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let webpki = webpki_verifier(extra_roots, provider.clone())?;
    let verifier: Arc<dyn ServerCertVerifier> =
        if pins.is_empty() { webpki } else { Arc::new(PinnedVerifier::new(webpki, pins.to_vec())) };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| tls_setup_error("no usable TLS protocol version"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Some(config))
}

#[cfg(test)]
mod tests {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, PublicKeyData};

    use super::*;

    /// A CA and a leaf for `localhost` / 127.0.0.1 signed by it: (ca DER, leaf DER, leaf SPKI DER).
    fn chain() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("ca key")).expect("ca");
        let leaf_key = KeyPair::generate().expect("leaf key");
        let leaf = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("leaf params")
            .signed_by(&leaf_key, &ca)
            .expect("leaf");
        (ca.der().to_vec(), leaf.der().to_vec(), leaf_key.subject_public_key_info())
    }

    fn verify(v: &dyn ServerCertVerifier, leaf: &[u8], host: &str) -> Result<ServerCertVerified, rustls::Error> {
        let name = ServerName::try_from(host.to_owned()).expect("name");
        v.verify_server_cert(&CertificateDer::from(leaf), &[], &name, &[], UnixTime::now())
    }

    #[test]
    fn spki_hash_is_the_sha256_of_the_leaf_key() {
        let (ca, leaf, spki) = chain();
        let expected: [u8; 32] = Sha256::digest(&spki).into();
        assert_eq!(spki_sha256(&leaf), Some(expected));
        assert_ne!(spki_sha256(&ca), Some(expected));
        assert!(pin_matches(&leaf, &[[0; 32], expected]));
        assert!(!pin_matches(&leaf, &[[0; 32]]));
        assert!(!pin_matches(&leaf, &[]));
        assert!(!pin_matches(b"not a certificate", &[expected]));
    }

    #[test]
    fn pinned_verifier_needs_both_a_valid_chain_and_a_pin() {
        let (ca, leaf, spki) = chain();
        let pin: [u8; 32] = Sha256::digest(&spki).into();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let trusted = webpki_verifier(std::slice::from_ref(&ca), provider.clone()).expect("verifier");
        let untrusted = webpki_verifier(&[], provider).expect("verifier");

        let ok = PinnedVerifier::new(trusted.clone(), vec![pin]);
        assert!(verify(&ok, &leaf, "localhost").is_ok());
        assert!(verify(&ok, &leaf, "127.0.0.1").is_ok());
        // Right pin, wrong host: validation still applies.
        assert!(verify(&ok, &leaf, "example.com").is_err());

        let wrong_pin = PinnedVerifier::new(trusted, vec![[9; 32]]);
        assert_eq!(
            verify(&wrong_pin, &leaf, "localhost").err(),
            Some(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure))
        );

        // Right pin, untrusted chain: the pin never replaces validation.
        let unrooted = PinnedVerifier::new(untrusted, vec![pin]);
        assert!(matches!(
            verify(&unrooted, &leaf, "localhost"),
            Err(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))
        ));
    }

    #[test]
    fn config_is_only_built_when_needed_and_bad_roots_are_refused() {
        assert!(client_config(&[], &[]).expect("default").is_none());
        assert!(client_config(&[[1; 32]], &[]).expect("pinned").is_some());
        let e = client_config(&[], &[b"junk".to_vec()]).expect_err("bad root");
        assert_eq!(e.code(), "invalid_tls_config");
    }
}

//! `login`, `register`, `logout`, `whoami`, `lock`, `unlock`.

use psyter_core::i18n::Arg;
use psyter_core::{CoreError, SessionPhase};
use psyter_domain::wire::{Me, RegisterRequest};
use serde_json::json;

use crate::args::{LoginArgs, RegisterArgs, UnlockArgs};
use crate::context::{Context, read_password};
use crate::output::{Rendered, Ui};

/// The stable word of a session phase.
pub fn phase_word(phase: SessionPhase) -> &'static str {
    match phase {
        SessionPhase::SignedOut => "signed_out",
        SessionPhase::Active => "active",
        SessionPhase::Locked => "locked",
    }
}

/// The error for a command that needs someone signed in.
fn not_signed_in() -> CoreError {
    CoreError::Unauthorized { code: "not_signed_in".into() }
}

/// The account, the profile and the session phase.
fn account(ctx: &Context, ui: &Ui, me: &Me) -> Rendered {
    let phase = ctx.psyter.phase();
    let json = json!({
        "profile": ctx.psyter.profile(),
        "server": ctx.server,
        "phase": phase_word(phase),
        "account": me,
    });
    let signed_in =
        ui.msg("signed-in-as", &[("name", Arg::from(&me.display_name)), ("role", Arg::from(me.role.as_str()))]);
    let human = vec![
        signed_in,
        format!("email:     {}", me.email),
        format!("user id:   {}", me.id),
        format!("locale:    {}", me.locale),
        format!("time zone: {}", me.time_zone),
        format!("profile:   {} on {}", ctx.psyter.profile(), ctx.server),
        format!("session:   {}", phase_word(phase)),
    ];
    Rendered::new(json, human)
}

/// `login`: signs in with email, password and an optional TOTP code.
pub async fn login(ctx: &Context, ui: &mut Ui, args: &LoginArgs) -> Result<Rendered, CoreError> {
    ctx.require_online()?;
    let password = read_password(&args.password)?;
    let me = ctx.psyter.auth().login(&args.email, &password, args.totp.as_deref()).await?;
    ctx.clear_lock()?;
    ui.learn(&me);
    Ok(account(ctx, ui, &me))
}

/// `register`: creates an account and signs in to it.
pub async fn register(ctx: &Context, ui: &mut Ui, args: &RegisterArgs) -> Result<Rendered, CoreError> {
    ctx.require_online()?;
    let password = read_password(&args.password)?;
    let req = RegisterRequest {
        email: args.email.trim().to_owned(),
        password: password.to_string(),
        display_name: args.name.clone(),
        role: args.role.into(),
        time_zone: args.time_zone.clone(),
        locale: args.locale.clone(),
    };
    let result = ctx.psyter.auth().register(&req).await;
    drop(zeroize::Zeroizing::new(req.password));
    let me = result?;
    ctx.clear_lock()?;
    ui.learn(&me);
    Ok(account(ctx, ui, &me))
}

/// `logout`: revokes the session (when the server answers) and deletes the profile's data.
pub async fn logout(ctx: &Context, ui: &Ui, force: bool) -> Result<Rendered, CoreError> {
    if ctx.psyter.phase() == SessionPhase::SignedOut {
        return Err(not_signed_in());
    }
    let revoked = ctx.psyter.auth().logout(force).await?;
    ctx.clear_lock()?;
    let mut human = vec![ui.msg("signed-out", &[])];
    if !revoked {
        human.push("The server did not confirm the sign-out; the session will expire on its own.".into());
    }
    Ok(Rendered::new(json!({ "signed_out": true, "revoked": revoked }), human))
}

/// `whoami`: the signed-in account as last seen (works offline).
pub async fn whoami(ctx: &Context, ui: &Ui) -> Result<Rendered, CoreError> {
    let me = ctx.psyter.auth().me().await?;
    Ok(account(ctx, ui, &me))
}

/// `lock`: locks the session for this and later commands.
pub fn lock(ctx: &Context, ui: &Ui) -> Result<Rendered, CoreError> {
    if ctx.psyter.phase() == SessionPhase::SignedOut {
        return Err(not_signed_in());
    }
    ctx.persist_lock()?;
    Ok(Rendered::new(json!({ "phase": phase_word(ctx.psyter.phase()) }), vec![ui.msg("session-locked", &[])]))
}

/// `unlock`: unlocks with the account password (checked by the server).
pub async fn unlock(ctx: &Context, ui: &mut Ui, args: &UnlockArgs) -> Result<Rendered, CoreError> {
    match ctx.psyter.phase() {
        SessionPhase::SignedOut => return Err(not_signed_in()),
        SessionPhase::Active => {
            ctx.clear_lock()?;
            return Ok(Rendered::new(
                json!({ "phase": "active", "unlocked": false }),
                vec!["The session is not locked.".into()],
            ));
        }
        SessionPhase::Locked => {}
    }
    ctx.require_online()?;
    let password = read_password(&args.password)?;
    ctx.psyter.auth().unlock_with_password(&password, args.totp.as_deref()).await?;
    ctx.clear_lock()?;
    if let Ok(me) = ctx.psyter.auth().me().await {
        ui.learn(&me);
    }
    Ok(Rendered::new(json!({ "phase": phase_word(ctx.psyter.phase()), "unlocked": true }), vec!["Unlocked.".into()]))
}

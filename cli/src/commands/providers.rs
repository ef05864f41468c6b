//! `providers search`, `providers show`, `slots`.

use psyter_core::CoreError;
use psyter_core::api::ProviderSearch;
use psyter_domain::ProviderProfile;
use psyter_domain::SlotStatus;
use serde_json::json;

use crate::args::{ProviderSearchArgs, ProvidersCommand, SlotsArgs};
use crate::context::Context;
use crate::output::{Rendered, Ui, money};

/// `providers ...`.
pub async fn providers(ctx: &Context, ui: &Ui, cmd: &ProvidersCommand) -> Result<Rendered, CoreError> {
    match cmd {
        ProvidersCommand::Search(args) => search(ctx, ui, args).await,
        ProvidersCommand::Show { id } => {
            let p = ctx.psyter.providers().profile(*id).await?;
            Ok(Rendered::new(json!({ "provider": p }), profile_lines(&p)))
        }
    }
}

/// `providers search`: the server's results, or recent ones from the cache when offline.
async fn search(ctx: &Context, ui: &Ui, args: &ProviderSearchArgs) -> Result<Rendered, CoreError> {
    let search = ProviderSearch {
        q: args.query.clone(),
        specialty: args.specialty.clone(),
        language: args.language.clone(),
        limit: args.limit,
        cursor: args.cursor.clone(),
        ..ProviderSearch::default()
    };
    let results = ctx.psyter.providers().search(&search).await?;
    let source = if results.from_cache { "the offline cache (server filters not applied)" } else { "the server" };
    let mut human = vec![format!("{} provider(s) from {source}", results.items.len())];
    human.extend(results.items.iter().map(|p| ui.provider_line(p)));
    if let Some(next) = &results.next_cursor {
        human.push(format!("more: --cursor {next}"));
    }
    let json = json!({
        "items": results.items,
        "next_cursor": results.next_cursor,
        "from_cache": results.from_cache,
    });
    Ok(Rendered::new(json, human))
}

/// A provider's profile, one field per line.
fn profile_lines(p: &ProviderProfile) -> Vec<String> {
    vec![
        format!("id:          {}", p.id),
        format!("name:        {}", p.display_name),
        format!("title:       {}", p.title),
        format!("specialties: {}", p.specialties.join(", ")),
        format!("languages:   {}", p.languages.join(", ")),
        format!("gender:      {}", p.gender.as_str()),
        format!("price:       {} {} per {} min session", money(p.price_cents), p.currency, p.session_minutes),
        format!("rating:      {:.1} ({} ratings)", p.rating, p.rating_count),
        format!("time zone:   {}", p.time_zone),
        format!("bio:         {}", p.bio),
    ]
}

/// `slots`: free slots with their starts in the provider's zone and the viewer's.
pub async fn slots(ctx: &Context, ui: &Ui, args: &SlotsArgs) -> Result<Rendered, CoreError> {
    // The core asks the server for slots without looking at the network hint.
    ctx.require_online()?;
    let list = ctx.psyter.providers().slots(args.provider_id, args.from, args.to).await?;
    let free: Vec<_> = list.slots.iter().filter(|s| s.status == SlotStatus::Free).take(args.limit).collect();
    let total_free = list.slots.iter().filter(|s| s.status == SlotStatus::Free).count();
    let mut human = vec![format!(
        "{} free slot(s) shown of {total_free}; provider's zone {}, yours {}",
        free.len(),
        list.time_zone,
        ui.zone
    )];
    let mut items = Vec::new();
    for s in &free {
        let provider_local = ui.datetime_in(s.start, &list.time_zone);
        let viewer_local = ui.datetime(s.start);
        human.push(format!("{}  provider: {provider_local}  you: {viewer_local}", s.start));
        items.push(json!({
            "start": s.start,
            "end": s.end,
            "provider_local": provider_local,
            "viewer_local": viewer_local,
        }));
    }
    let json = json!({
        "provider_id": list.provider_id,
        "time_zone": list.time_zone,
        "viewer_time_zone": ui.zone,
        "total_free": total_free,
        "slots": items,
    });
    Ok(Rendered::new(json, human))
}

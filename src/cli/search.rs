//! The `search` verb: the query language, or a regular expression optionally within a query's passages.

use anyhow::{Result, bail};
use marginalia::index::SearchIndex;
use marginalia::query;

use super::args::SearchArgs;
use super::output::print_search;

/// `search DIR QUERY [--regex [--within Q] [--case-sensitive] | --meaning [--within Q]] [--limit N]`.
pub fn search(args: SearchArgs) -> Result<()> {
    if args.meaning || (!args.regex && marginalia::embed::session::has_meaning_term(&args.query)) {
        if args.within.is_some() && !args.meaning {
            bail!(
                "--within works with --regex or --meaning; for a ~\"…\" search put the filters in the query"
            );
        }
        return super::embed::meaning_search(
            &args.dir,
            &args.query,
            args.meaning,
            args.within.as_deref(),
            args.limit,
            args.json.json,
        );
    }
    let ws = super::open_read_only(&args.dir)?;
    let index = SearchIndex::for_project(&ws.index_dir(), ws.project())?;
    let results = if args.regex {
        query::regex_search(
            &index,
            ws.project(),
            &args.query,
            args.within.as_deref(),
            args.case_sensitive,
            Some(args.limit),
        )?
    } else {
        if args.within.is_some() {
            bail!("--within works with --regex; for word searches put the filters in the query");
        }
        query::search(&index, ws.project(), &args.query, Some(args.limit))?
    };
    print_search(&results, args.json.json)
}

//! Team verbs: `coders` (list, layer colour), `merge` (bring another copy into a project), `git-setup` and `git-merge-driver` (git merges
//! the project files by id).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};
use marginalia::merge::{self, three_way};

/// `coders DIR [list | colour NAME #RRGGBB]`: the coders with their layer colours and codings, or one coder's
/// colour set (one undoable edit; `palette` gives back the default colour).
pub fn coders(dir: &Path, action: Option<super::args::CodersAction>, json: bool) -> Result<()> {
    use super::args::CodersAction;
    match action {
        None => super::show(dir, json, print_coders),
        Some(CodersAction::List { json: list_json }) => {
            super::show(dir, json || list_json.json, print_coders)
        }
        Some(CodersAction::Colour { coder, colour }) => super::change_and_report(dir, |p| {
            let id = p
                .find_coder(&coder)
                .ok_or_else(|| marginalia::coders::unknown_coder(p, &coder))?
                .id;
            let colour = match colour.trim().to_lowercase().as_str() {
                "palette" | "default" | "none" => None,
                _ => Some(colour.as_str()),
            };
            Ok(marginalia::ops::colour_coder(p, id, colour)?)
        }),
    }
}

fn print_coders(p: &marginalia::model::Project, json: bool) -> Result<()> {
    let mut coders: Vec<_> = p.coders().values().collect();
    coders.sort_by(|a, b| marginalia::collate::compare(&a.name, &b.name));
    let count = |id| p.codings().values().filter(|c| c.coder == id).count();
    if json {
        let rows: Vec<_> = coders
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id, "name": c.name,
                    "colour": marginalia::coders::layer_colour(p, c.id),
                    "own_colour": c.colour.is_some(),
                    "codings": count(c.id),
                })
            })
            .collect();
        return super::output::print_json(&rows);
    }
    for c in coders {
        let colour = marginalia::coders::layer_colour(p, c.id);
        let from = if c.colour.is_some() { "" } else { " (palette)" };
        println!(
            "{:<32} {colour}{from:<10} {:>6} codings",
            super::output::shorten(&c.name, 32),
            count(c.id)
        );
    }
    Ok(())
}

/// `merge DIR OTHER_DIR`: one undoable edit; prints the counts and every conflict.
pub fn merge(dir: &Path, other: &Path, json: bool) -> Result<()> {
    let other_project = merge::load_other(dir, other)
        .with_context(|| format!("cannot merge {}", other.display()))?;
    let mut ws = super::open_project(dir)?;
    let merged = merge::merge_projects(ws.project(), &other_project)
        .with_context(|| format!("cannot merge {} into {}", other.display(), dir.display()))?;
    let documents_added = merged.report.documents_added > 0;
    if let Some(edit) = merged.edit {
        ws.apply(edit)?;
        if documents_added {
            super::save_and_index(&mut ws)?;
        } else {
            super::save(&mut ws)?;
        }
    }
    let report = &merged.report;
    if json {
        let value = serde_json::json!({
            "documents_shared": report.documents_shared,
            "documents_added": report.documents_added,
            "documents_differing": report.documents_differing,
            "coders_added": report.coders_added,
            "codes_added": report.codes_added,
            "codes_matched_by_name": report.codes_matched_by_name,
            "attributes_added": report.attributes_added,
            "cases_added": report.cases_added,
            "cases_updated": report.cases_updated,
            "sets_added": report.sets_added,
            "sets_updated": report.sets_updated,
            "codings_added": report.codings_added,
            "codings_already_present": report.codings_already_present,
            "codings_left_out": report.codings_left_out,
            "memos_added": report.memos_added,
            "conflicts": report.conflicts,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    println!(
        "Merged {} into {}: {}",
        other.display(),
        dir.display(),
        report.summary()
    );
    for conflict in &report.conflicts {
        println!("  conflict: {conflict}");
    }
    if !report.conflicts.is_empty() {
        println!(
            "(undo the whole merge with `marginalia undo {}`)",
            dir.display()
        );
    }
    Ok(())
}

/// `git-setup DIR`: writes a missing `.gitattributes` and registers the merge driver in the enclosing
/// repository's config.
pub fn git_setup(dir: &Path) -> Result<()> {
    let layout = marginalia::store::Layout::new(dir);
    if !layout.is_project() {
        bail!("{}: not a Marginalia project", dir.display());
    }
    if marginalia::store::write_gitattributes(dir)? {
        println!(
            "Wrote {}",
            dir.join(marginalia::store::GITATTRIBUTES_FILE).display()
        );
    }
    let inside = git(dir, &["rev-parse", "--is-inside-work-tree"])
        .map_err(|e| anyhow!("{}: cannot run git ({e}); is git installed?", dir.display()))?;
    if inside.trim() != "true" {
        bail!(
            "{}: not inside a git repository; run `git init` (or clone the shared repository) first",
            dir.display()
        );
    }
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let driver = format!(
        "{} git-merge-driver %O %A %B %P",
        shell_quote(&exe.to_string_lossy())
    );
    git(
        dir,
        &[
            "config",
            "merge.marginalia.name",
            "Marginalia project files (merged by id)",
        ],
    )?;
    git(dir, &["config", "merge.marginalia.driver", &driver])?;
    println!(
        "Registered the Marginalia merge driver in this repository's git config ({driver}); every clone runs \
         `marginalia git-setup` once"
    );
    Ok(())
}

/// Runs git in `dir`, returning its standard output; a failure carries git's own message.
fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output()?;
    if !output.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Quotes a path for the shell git runs the driver with.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `git-merge-driver BASE OURS THEIRS PATH`: merges a project file by id into OURS (exit 0); any other file,
/// or one that does not parse, is merged line by line like git's own merge (non-zero exit with conflict
/// markers when the lines conflict).
pub fn git_merge_driver(base: &Path, ours: &Path, theirs: &Path, path: &Path) -> Result<()> {
    let read = |p: &Path| -> Result<String> {
        let bytes = fs::read(p).with_context(|| format!("{}", p.display()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    let (b, o, t) = (read(base)?, read(ours)?, read(theirs)?);
    match three_way::merge_file(path, &b, &o, &t) {
        Ok(merged) => {
            marginalia::store::write_atomic(ours, merged.text.as_bytes())?;
            for conflict in &merged.conflicts {
                eprintln!("marginalia: {conflict}");
            }
            Ok(())
        }
        Err(reason) => {
            eprintln!("marginalia: {reason}; merging it line by line");
            line_merge(base, ours, theirs, path, &b, &o, &t)
        }
    }
}

/// git's normal merge: `git merge-file` writes the result (with conflict markers) into OURS.
fn line_merge(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    path: &Path,
    b: &str,
    o: &str,
    t: &str,
) -> Result<()> {
    let name = path.display().to_string();
    let status = Command::new("git")
        .arg("merge-file")
        .args([
            "-L",
            &format!("ours:{name}"),
            "-L",
            "base",
            "-L",
            &format!("theirs:{name}"),
        ])
        .args([ours, base, theirs].map(PathBuf::from))
        .status();
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(_) => bail!("{name}: conflicting changes; resolve the conflict markers and commit"),
        Err(_) => {
            // No git on PATH: keep the side that changed, or both sides with markers.
            let merged = if o == t || t == b {
                return Ok(());
            } else if o == b {
                t.to_string()
            } else {
                format!("<<<<<<< ours:{name}\n{o}=======\n{t}>>>>>>> theirs:{name}\n")
            };
            marginalia::store::write_atomic(ours, merged.as_bytes())?;
            if o == b {
                Ok(())
            } else {
                bail!("{name}: conflicting changes; resolve the conflict markers and commit")
            }
        }
    }
}

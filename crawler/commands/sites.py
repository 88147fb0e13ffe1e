"""``sct-archive sites``: the registry of real sites (crawler/sites.toml), no database needed."""

from __future__ import annotations

import click

from archive.cli import echo_json, json_option
from crawler.registry import KINDS, Site, load_registry

_COLUMNS = ("KEY", "PROFILE", "VERIFIED", "SEEN", "LIVE", "PROVINCE", "FORMER PROVINCE", "BASE URL")
_GUESS_COLUMNS = ("KEY", "PROFILE", "SEEN", "EVIDENCE", "STILL A GUESS", "BASE URL")


def _row(site: Site) -> tuple[str, ...]:
    return (
        site.key, site.profile, "✓" if site.verified else "–", "✓" if site.host_seen else "–",
        "✓" if site.live else "✗ dead", site.province or "—", site.former_province or "—",
        site.base_url,
    )


def _guess_row(site: Site) -> tuple[str, ...]:
    kinds = [e.kind for e in site.evidence]
    counted = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds)) or (
        f"none ({len(site.searched)} searches)" if site.searched else "none")
    return (
        site.key, site.profile, "✓" if site.host_seen else "–", counted,
        ", ".join(site.guesses()) or "—", site.base_url,
    )


def _table(rows: list[tuple[str, ...]], columns: tuple[str, ...] = _COLUMNS) -> list[str]:
    widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
    lines = []
    for r in [columns, *rows]:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return lines


@click.command("sites")
@json_option
@click.option("--markdown", is_flag=True,
              help="The whole registry as Markdown (what docs/sites.md holds).")
@click.option("--kind", type=click.Choice(list(KINDS)), default=None, help="Only sites of this kind.")
@click.option("--province", metavar="NAME", default=None,
              help="Only sites of this province, current or former (e.g. 'Bình Dương').")
@click.option("--verified/--unverified", default=None,
              help="Only sites whose profile was (not) checked against their real HTML;"
                   " --unverified shows what is still a guess about each (host, profile,"
                   " start URLs) and the evidence found.")
def sites(as_json: bool, markdown: bool, kind: str | None, province: str | None,
          verified: bool | None) -> None:
    """The registry of real sites: key, CMS profile, province, base URL.

    \b
    Examples:
      sct-archive sites                              the table
      sct-archive sites --province "Hồ Chí Minh"     the city and the provinces merged into it
      sct-archive sites --kind sct-legacy --json     machine-readable, every field
      sct-archive sites --unverified                 what is still a guess, and the evidence
      sct-archive sites --markdown > docs/sites.md   regenerate the docs after editing

    The registry is crawler/sites.toml (or $SCT_ARCHIVE_SITES). Use a KEY with
    `sct-archive crawl KEY`; dead hosts (LIVE ✗) are archived by importing captures.
    """
    registry = load_registry()
    if not markdown:  # the demo's sites too, while its archive is in use
        from archive.cli import AppContext
        from crawler.commands.demo import registry_for_archive

        app = click.get_current_context().find_object(AppContext) or AppContext()
        registry = registry_for_archive(app.db_url())
    if markdown:
        if as_json or kind or province or verified is not None:
            raise click.UsageError("--markdown prints the whole registry; drop --json/--kind/--province/--verified")
        click.echo(registry.to_markdown(), nl=False)
        return
    chosen = registry.filter(kind=kind, province=province, verified=verified)
    if as_json:
        echo_json([site.to_dict() for site in chosen])
        return
    if not chosen:
        click.echo("no sites match", err=True)
        return
    if verified is False:
        for line in _table([_guess_row(site) for site in chosen], _GUESS_COLUMNS):
            click.echo(line)
        click.echo(
            f"\n{len(chosen)} site(s) not checked against their real HTML;"
            f" {sum(s.host_seen for s in chosen)} with their host seen in public stored copies"
            " (see `sct-archive sites --json`, evidence and searched)"
        )
        return
    for line in _table([_row(site) for site in chosen]):
        click.echo(line)
    dead = sum(not s.live for s in chosen)
    click.echo(
        f"\n{len(chosen)} site(s), {sum(s.verified for s in chosen)} verified, {dead} dead"
        + (" (import their captures: see `sct-archive sites --json`, warc_imports)" if dead else ""),
    )

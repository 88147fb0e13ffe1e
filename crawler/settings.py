"""Scrapy settings for sct-archive: polite by default, every value overridable.

Per site in the registry (``[site.settings]`` in crawler/sites.toml), and for one
run with ``-s NAME=VALUE`` (``sct-archive crawl KEY -s DOWNLOAD_DELAY=0`` or
``scrapy crawl news -a site=KEY -s …``). Our own settings are prefixed ``ARCHIVE_``;
docs/settings.md lists them all (a test keeps it in step with this file).
"""

from archive.storage.config import resolve_db_url

BOT_NAME = "sct-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# -- politeness ---------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50 %
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Bounded waits: a dripping or hanging server costs at most DOWNLOAD_TIMEOUT × (1 +
# ARCHIVE_TIMEOUT_RETRIES) for that page (attachments get ARCHIVE_ATTACHMENT_TIMEOUT).
DOWNLOAD_TIMEOUT = 15
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024  # page size cap (attachments: ARCHIVE_ATTACHMENT_MAXSIZE)
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening ports from a crawler
LOG_LEVEL = "INFO"
# The User-Agent names the project and how to reach its operator.
ARCHIVE_CONTACT_URL = "https://github.com/sct-archive/sct-archive"
USER_AGENT = f"sct-archive/0.1 (+{ARCHIVE_CONTACT_URL}; archival crawler)"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
}
ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}
EXTENSIONS = {
    "scrapy.extensions.logstats.LogStats": None,
    "crawler.extensions.CrawlProgress": 500,
    # no network for the public suffix list; one warning line per unreachable host
    "crawler.netlog.QuietNetworkLogs": 0,
}

# -- the archive ----------------------------------------------------------------------------
ARCHIVE_ENABLED = True
ARCHIVE_DATABASE_URL = resolve_db_url()  # $SCT_ARCHIVE_DB, else data/archive.sqlite3
ARCHIVE_SITES_FILE = None  # another registry file ($SCT_ARCHIVE_SITES), else crawler/sites.toml
ARCHIVE_MIN_TEXT_CHARS = 200  # shorter extractions are not versions

# -- incremental crawling -----------------------------------------------------------------
ARCHIVE_STOP_AFTER_KNOWN = 10  # stop a listing after this many already-archived articles in a row
ARCHIVE_MAX_LISTING_PAGES = 200  # per listing chain and run (endless pagination, calendars)
ARCHIVE_MAX_PAGES = 20000  # requests per run, all kinds
ARCHIVE_REVISIT_FACTOR = 0.25  # revisit interval = article age × factor …
ARCHIVE_REVISIT_MIN_SECONDS = 3600  # … at least an hour …
ARCHIVE_REVISIT_MAX_SECONDS = 30 * 86400  # … at most a month …
ARCHIVE_REVISIT_MAX_AGE_SECONDS = 180 * 86400  # … and never once the article is older than this
ARCHIVE_NOW = None  # ISO datetime: the crawl's clock for revisit decisions (tests, replays)
ARCHIVE_RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry, doubled each time …
ARCHIVE_RETRY_BACKOFF_MAX = 30.0  # … up to this
ARCHIVE_TIMEOUT_RETRIES = 1  # retries after a timeout, a refused connection, a DNS failure

# -- discovery (the auto profile; any profile whose listing rules find nothing) ------------
ARCHIVE_RECOGNIZE = True  # recognize a CMS from an unregistered site's pages (False: auto only)
ARCHIVE_DISCOVERY_DEPTH = 3  # links from a start URL that exploration follows to unknown pages
ARCHIVE_DISCOVERY_BUDGET = 200  # pages per run fetched only to see what they are

# -- extraction ----------------------------------------------------------------------------
# Processes that judge and read the fetched pages (crawler/extraction/pool.py); the writes
# stay in the crawl's process. None: one per core when there are two or more; 0: in process.
ARCHIVE_EXTRACT_WORKERS = None

# -- attachments -----------------------------------------------------------------------------
ARCHIVE_ATTACHMENTS_ENABLED = True
ARCHIVE_ATTACHMENT_MAXSIZE = 30 * 1024 * 1024
ARCHIVE_ATTACHMENT_TIMEOUT = 120  # seconds per attachment download (large PDFs, slow sites)
ARCHIVE_MAX_ATTACHMENTS = 10  # per article

# -- flagged articles ------------------------------------------------------------------------
ARCHIVE_FEED_ENABLED = True  # append new flagged articles of each run to an Atom feed
ARCHIVE_FEED_PATH = None  # default: flagged.atom next to the SQLite archive, else data/flagged.atom
ARCHIVE_WEBHOOK_URL = None  # POST new flagged articles as JSON here (off by default)
ARCHIVE_FEED_HEALTH = False  # also announce runs that ended empty, unreachable or failed

# -- progress -------------------------------------------------------------------------------
ARCHIVE_PROGRESS_INTERVAL = 10.0  # seconds between progress lines (0: off)

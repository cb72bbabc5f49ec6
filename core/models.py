"""The kernel keeps no tables of its own. This module exists because Django sends
``post_migrate`` only to apps with a models module, and the page cache creates its table
(core/page_cache.py) on that signal."""

"""The kernel has no tables of its own; this module exists so that Django sends post_migrate
for ``core`` (apps without a models module get none), which creates the page cache's table
(``core.page_cache.create_table``) before other apps save pages."""

"""The log-reading stage: from a log's folders to checked entries.

:mod:`.logtree` walks the dated folders of ``data/``, :mod:`.yamlread` parses a file's YAML
(bounded, located), :mod:`.loader` turns its documents into :class:`.entries.Entry` values and
problems, :mod:`.documents` reads the static texts of ``documents/``, :mod:`.cache` keeps each
unchanged file's parse and :mod:`.replay` a whole unchanged ``validate`` run."""

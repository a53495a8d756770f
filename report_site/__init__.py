"""Report pages: the Evidence pages in `reports/`, rendered to a static site without Node.

The pages (`reports/pages/*.md`) are real Evidence pages: an Evidence user drops `reports/` into
an Evidence build and gets the same reports. Publishing renders them itself, one module per job:

- `pages`: parsing a page (frontmatter, ```sql blocks, components, Markdown);
- `sandbox`: the in-memory DuckDB the pages' SQL runs in, with what Evidence's browser DuckDB
  lacks switched off;
- `formatting`: numbers, dates and Evidence's format strings;
- `components`: rendering Markdown and components (`<BigValue>`, `<DataTable>` ...);
- `charts` and `chart_layout`: the Plotly figures;
- `site`: `render_site`, the pages with their navigation and header.
"""

from report_site.errors import ReportError
from report_site.pages import PAGES_DIR
from report_site.site import render_site

__all__ = ["PAGES_DIR", "ReportError", "render_site"]

"""Rendering the Evidence report pages (reports/pages/*.md) into a static site without Node:
page parsing, the SQL sandbox, formatting, components and charts."""

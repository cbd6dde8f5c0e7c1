"""Views of the workbench, one module per page type. Each view sits behind ``agency_required``,
validates a form, calls one service and redirects; none holds a domain rule."""

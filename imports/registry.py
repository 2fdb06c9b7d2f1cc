"""The kinds of import, each registered by its own app:

    imports.registry.register(DeputyImporter())

so this plumbing app never imports a domain app."""

from django.http import Http404

_importers = {}


def register(importer):
    _importers[importer.kind] = importer
    return importer


def get(kind):
    """The importer of `kind`; 404 for an unknown kind (it comes from a URL)."""
    try:
        return _importers[kind]
    except KeyError:
        raise Http404(kind) from None


def kinds():
    return list(_importers.values())

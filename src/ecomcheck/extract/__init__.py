"""Facts extracted from pages: document, identity, contacts, badges, policies."""

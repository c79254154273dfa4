"""The operator's web page: requests, timelines, holding pen, drafts, quarantine.

    foibot web hash-password            # once: make the password hash line
    FOIBOT_WEB_PASSWORD_HASH='scrypt$...' foibot web

A Flask app (``app.create_app``) served by waitress (``serve.serve``), with Jinja2
templates in ``templates/web/``. One small module per concern: ``auth`` (login,
``throttle``, ``passwords``, ``sessionkey``), ``csrf``, ``headers`` (CSP and friends),
``state`` (what views share), and one module per page: ``dashboard``, ``timeline``,
``holding``, ``drafts`` (with ``sender``, the background outbox run), ``quarantine``,
``attachments`` (with ``payloads``). See docs/web.md.

Nothing is imported here, so the CLI loads Flask only for `foibot web`.
"""

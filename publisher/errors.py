"""The publisher's exceptions: one family, each naming what went wrong and what to do next.

HTTP views raise a :class:`PublisherError` subclass at the point of failure; the one handler
registered by :func:`publisher.create_app` renders it for the client (see ``publisher/error_handler.py``).
Command-line errors use the same family and exit with status 2.
"""

from __future__ import annotations


class PublisherError(Exception):
    """Base class: a message meant for the person or program that made the request."""

    status: int = 500

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class ConfigurationError(PublisherError):
    """A setting or the project file is missing or wrong."""


class InputError(PublisherError):
    """An input file is missing or does not parse; the message names the file (and line)."""

    status = 400


class BuildError(PublisherError):
    """The build found invalid input and left the published dataset as it was."""


class BadRequest(PublisherError):
    """The request is malformed: the message says how."""

    status = 400


class MalformedQuery(BadRequest):
    """The SPARQL query does not parse; the message gives line and column."""


class UpdateRefused(PublisherError):
    """A SPARQL update or other write was attempted on the read-only service."""

    status = 403


class ResourceNotFound(PublisherError):
    """No resource, file or page at this address."""

    status = 404


class NotAcceptable(PublisherError):
    """None of the formats the client accepts is offered; the message lists those that are."""

    status = 406


class PayloadTooLarge(PublisherError):
    """The request body is larger than the configured limit."""

    status = 413


class UnsupportedMediaType(PublisherError):
    """The request body's media type is not one this endpoint reads."""

    status = 415


class QueryTimeout(PublisherError):
    """The query ran past its time limit and was stopped."""

    status = 503

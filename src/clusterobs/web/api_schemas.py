"""What every app's API answers share: the error envelope (``ERRORS``, ``ErrorOut``), the file formats of a list
(``Format``) and a page of rows (``Paged``)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

Format = Literal["json", "csv", "xlsx", "parquet"]


class ErrorDetail(Schema):
    status: int = Field(..., description="HTTP status: 400 bad parameter, 404 unknown region or category, "
                                         "503 no dataset published")
    message: str = Field(..., description="What went wrong, in plain words")
    parameter: str | None = Field(None, description="The query or path parameter at fault, when there is one")


class ErrorOut(Schema):
    error: ErrorDetail


ERRORS = {400: ErrorOut, 404: ErrorOut, 503: ErrorOut}


class Paged(Schema):
    version: str = Field(..., description="Dataset version the answer was read from")
    count: int = Field(..., description="Rows matching the query, over all pages")
    limit: int | None = Field(None, description="Page size")
    offset: int = Field(0, description="Rows skipped before this page")
    next: str | None = Field(None, description="URL of the next page, null on the last")
    previous: str | None = Field(None, description="URL of the previous page, null on the first")

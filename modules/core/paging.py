"""Pages of a list already in memory, with the attributes `_pagination.html` reads
(the same as Flask-SQLAlchemy's pagination of a query)."""

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class ListPage(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return _pages(self.total, self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def first(self) -> int:
        """The 1-based number of the first item shown (0 when there are none)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def page_of(items: list[T], page: int, per_page: int) -> ListPage[T]:
    """Page ``page`` (1-based) of ``items``; a number past the last page shows the last."""
    page = min(max(page, 1), _pages(len(items), per_page))
    start = (page - 1) * per_page
    return ListPage(items[start:start + per_page], page, per_page, len(items))


def page_number(index: int, per_page: int) -> int:
    """The page (1-based) that holds the item at 0-based ``index``."""
    return index // per_page + 1

"""Errors that reach the user as one line each, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is and how to fix it."""

    file: str
    line: int | None
    message: str
    fix: str = ""
    column: int | None = None
    path: str = ""
    """Key path inside the file, e.g. "nodes[2].children[0].agencies[1].id"."""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.fix:
            text += f" ({self.fix})"
        return text


class GeneratorError(Exception):
    """A failure the user can act on; the CLI prints it as `error: …` and exits 1."""


class InvalidData(GeneratorError):
    """Validation found problems; every one is reported, then the run stops once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in data/")

    def __str__(self) -> str:
        lines = [str(problem) for problem in self.problems]
        lines.append(f"{len(self.problems)} problem(s) found; nothing was written.")
        return "\n".join(lines)

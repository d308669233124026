"""Colours, fonts and the plotly template: the one place the dashboard's look is decided.

The qualitative palette is Okabe-Ito, which stays distinguishable under the common forms of
colour blindness; heatmaps use a single-hue blue scale with empty cells in a visible grey.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito (2008), ordered so that the first colours are the most distinct from each other.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
PRIMARY = OKABE_ITO[0]
ACCENT = OKABE_ITO[1]
OTHER_COLOUR = "#999999"  # the "Other" group in a breakdown, deliberately outside the palette
EMPTY_PERIOD = "#7F7F7F"  # the tick that marks a period without posts on a bar chart

# Cells with zero posts are grey, not white, so an empty cell never looks like missing paper.
SILENCE = "#F0E442"  # Okabe-Ito yellow: a silent spell behind the bars
SILENCE_CURRENT = "#E69F00"  # Okabe-Ito orange: the silence that is still going on
EVENT = "#CC79A7"  # Okabe-Ito reddish purple: an event of the policy calendar
NOT_CAPTURED = "#BBBBBB"  # hatched grey: time the data did not capture (no posts, no silence)
EMPTY_CELL = "#E4E4E4"
HEATMAP_SCALE = (
    (0.0, EMPTY_CELL),
    (1e-9, "#DEEBF7"),
    (0.5, "#6BAED6"),
    (1.0, "#08306B"),
)

FONT_FAMILY = '"Source Sans Pro", "Source Sans 3", "Helvetica Neue", Arial, sans-serif'
TEXT_COLOUR = "#31333F"
GRID_COLOUR = "#E6E6E6"
BACKGROUND = "#FFFFFF"
TEMPLATE_NAME = "dashboard"
CHART_HEIGHT = 380


def _template() -> go.layout.Template:
    """The plotly template every chart of the dashboard is drawn with."""
    axis = {
        "gridcolor": GRID_COLOUR,
        "linecolor": "#BBBBBB",
        "zerolinecolor": "#BBBBBB",
        "automargin": True,
        "title": {"standoff": 8},
    }
    return go.layout.Template(
        layout={
            "colorway": list(OKABE_ITO),
            "font": {"family": FONT_FAMILY, "size": 13, "color": TEXT_COLOUR},
            "title": {"font": {"size": 16}, "x": 0, "xanchor": "left"},
            "paper_bgcolor": BACKGROUND,
            "plot_bgcolor": BACKGROUND,
            "xaxis": axis,
            "yaxis": axis,
            "legend": {"title": {"font": {"size": 12}}, "bgcolor": "rgba(255,255,255,0.8)"},
            "hoverlabel": {"font": {"family": FONT_FAMILY}},
            "margin": {"l": 10, "r": 10, "t": 48, "b": 10},
            "height": CHART_HEIGHT,
            "bargap": 0.15,
        }
    )


pio.templates[TEMPLATE_NAME] = _template()


def colour_for(position: int, is_other: bool = False) -> str:
    """The palette colour of the ``position``-th group; the combined "others" group is grey."""
    return OTHER_COLOUR if is_other else OKABE_ITO[position % len(OKABE_ITO)]

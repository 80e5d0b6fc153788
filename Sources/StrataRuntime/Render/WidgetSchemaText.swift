/// The JSON Schemas this module validates against, compiled in so that the engine needs no files
/// at run time.
///
/// `schemas/` is the single source of truth: each string here equals its file byte for byte, which
/// a test checks. After editing a schema, regenerate this file from the repository root:
///
///     { sed -n '1,/^    static let widgets/p' Sources/StrataRuntime/Render/WidgetSchemaText.swift
///       cat schemas/widgets.schema.json; printf '\n"""#\n}\n'
///     } > /tmp/WidgetSchemaText.swift && mv /tmp/WidgetSchemaText.swift Sources/StrataRuntime/Render/
enum WidgetSchemaText {
    /// `schemas/widgets.schema.json`. (The blank line before the closing delimiter keeps the
    /// file's final newline: a multi-line literal drops the line break before `"""`.)
    static let widgets = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://strata.example/schemas/widgets.schema.json",
          "title": "Strata render() output",
          "description": "What a strategy's render() returns: the runtime UI of one instance, as a list of widgets. Output that does not match is an invalid_render error. An empty Lua table is ambiguous; consumers that read Lua output accept [] where an object is expected and {} where an array is expected.",
          "type": "object",
          "properties": {
            "widgets": {
              "description": "The widgets, shown in this order.",
              "type": "array",
              "items": { "$ref": "#/$defs/widget" }
            }
          },
          "required": ["widgets"],
          "additionalProperties": false,
          "$defs": {
            "widget": {
              "title": "Widget",
              "description": "One widget, discriminated by its type.",
              "oneOf": [
                { "$ref": "#/$defs/line_chart" },
                { "$ref": "#/$defs/candles" },
                { "$ref": "#/$defs/metric" },
                { "$ref": "#/$defs/table" },
                { "$ref": "#/$defs/text" },
                { "$ref": "#/$defs/log" }
              ]
            },
            "id": {
              "description": "Optional stable identifier of the widget, so that a UI can keep its state (zoom, scroll) across renders.",
              "type": "string"
            },
            "title": {
              "description": "Optional heading shown above the widget.",
              "type": "string"
            },
            "line_chart": {
              "title": "Line chart",
              "description": "One or more lines over a shared axis.",
              "type": "object",
              "properties": {
                "type": { "const": "line_chart" },
                "id": { "$ref": "#/$defs/id" },
                "title": { "$ref": "#/$defs/title" },
                "y_label": { "description": "Label of the vertical axis.", "type": "string" },
                "series": {
                  "description": "The lines.",
                  "type": "array",
                  "items": { "$ref": "#/$defs/series" }
                }
              },
              "required": ["type", "series"],
              "additionalProperties": false
            },
            "series": {
              "title": "Series",
              "description": "One line of a line chart.",
              "type": "object",
              "properties": {
                "name": { "description": "Name shown in the legend.", "type": "string" },
                "data": {
                  "description": "The points: either plain numbers (plotted at their index) or {t, v} pairs, not a mix of both.",
                  "anyOf": [
                    {
                      "description": "Plain values, plotted at their index.",
                      "type": "array",
                      "items": { "type": "number" }
                    },
                    {
                      "description": "Points with an explicit position on the horizontal axis.",
                      "type": "array",
                      "items": { "$ref": "#/$defs/point" }
                    }
                  ]
                }
              },
              "required": ["name", "data"],
              "additionalProperties": false
            },
            "point": {
              "title": "Point",
              "description": "A value v at position t (usually a unix time in seconds).",
              "type": "object",
              "properties": {
                "t": { "description": "Position on the horizontal axis, usually unix seconds.", "type": "number" },
                "v": { "description": "Value.", "type": "number" }
              },
              "required": ["t", "v"],
              "additionalProperties": false
            },
            "candles": {
              "title": "Candles",
              "description": "A candlestick (OHLC) chart.",
              "type": "object",
              "properties": {
                "type": { "const": "candles" },
                "id": { "$ref": "#/$defs/id" },
                "title": { "$ref": "#/$defs/title" },
                "data": {
                  "description": "The candles, oldest first.",
                  "type": "array",
                  "items": { "$ref": "#/$defs/candle" }
                }
              },
              "required": ["type", "data"],
              "additionalProperties": false
            },
            "candle": {
              "title": "Candle",
              "description": "One period: its start time, open, high, low, close and optional volume.",
              "type": "object",
              "properties": {
                "t": { "description": "Start of the period, unix seconds.", "type": "number" },
                "o": { "description": "Open.", "type": "number" },
                "h": { "description": "High.", "type": "number" },
                "l": { "description": "Low.", "type": "number" },
                "c": { "description": "Close.", "type": "number" },
                "v": { "description": "Volume.", "type": "number" }
              },
              "required": ["t", "o", "h", "l", "c"],
              "additionalProperties": false
            },
            "metric": {
              "title": "Metric",
              "description": "A single labelled value, such as PnL or position.",
              "type": "object",
              "properties": {
                "type": { "const": "metric" },
                "id": { "$ref": "#/$defs/id" },
                "label": { "description": "What the value is.", "type": "string" },
                "value": { "description": "The value; a string is shown as is.", "type": ["number", "string"] },
                "unit": { "description": "Unit shown after the value, such as USDT or %.", "type": "string" }
              },
              "required": ["type", "label", "value"],
              "additionalProperties": false
            },
            "table": {
              "title": "Table",
              "description": "Rows of cells under named columns.",
              "type": "object",
              "properties": {
                "type": { "const": "table" },
                "id": { "$ref": "#/$defs/id" },
                "title": { "$ref": "#/$defs/title" },
                "columns": {
                  "description": "Column headings.",
                  "type": "array",
                  "items": { "type": "string" }
                },
                "rows": {
                  "description": "The rows; each is a list of cells in column order.",
                  "type": "array",
                  "items": {
                    "type": "array",
                    "items": { "type": ["string", "number", "boolean", "null"] }
                  }
                }
              },
              "required": ["type", "columns", "rows"],
              "additionalProperties": false
            },
            "text": {
              "title": "Text",
              "description": "A block of plain text (never interpreted as HTML or Markdown).",
              "type": "object",
              "properties": {
                "type": { "const": "text" },
                "id": { "$ref": "#/$defs/id" },
                "title": { "$ref": "#/$defs/title" },
                "text": { "description": "The text.", "type": "string" }
              },
              "required": ["type", "text"],
              "additionalProperties": false
            },
            "log": {
              "title": "Log",
              "description": "Lines of plain text, oldest first.",
              "type": "object",
              "properties": {
                "type": { "const": "log" },
                "id": { "$ref": "#/$defs/id" },
                "title": { "$ref": "#/$defs/title" },
                "lines": {
                  "description": "The lines.",
                  "type": "array",
                  "items": { "type": "string" }
                }
              },
              "required": ["type", "lines"],
              "additionalProperties": false
            }
          }
        }

        """#
}

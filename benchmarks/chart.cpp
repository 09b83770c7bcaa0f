// The growth series as an SVG chart: cost per step (chain) and per table
// (introspection) against size on a logarithmic axis. Linear growth draws a
// flat line; a line that climbs is cost growing faster than the size.
#include "bench.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace strata::bench {

namespace {

struct Panel {
    std::string title;
    std::string unit;  // "ms per step"
    std::vector<const Series*> series;
};

std::string fixed(double v, int decimals = 1)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
    return buffer;
}

const char* colour_of(const Series& s)
{
    return s.dialect == "sqlite" ? "#1f77b4" : "#d62728";
}

void draw_panel(std::ostringstream& svg, const Panel& panel, double left, double top, double width, double height)
{
    double max_y = 0;
    int min_n = 1 << 30, max_n = 1;
    for (const auto* s : panel.series)
        for (const auto& p : s->points) {
            max_y = std::max({max_y, p.strata_ms / p.n, p.baseline_ms / p.n});
            min_n = std::min(min_n, p.n);
            max_n = std::max(max_n, p.n);
        }
    if (panel.series.empty() || max_y <= 0)
        return;
    max_y *= 1.15;
    const double lo = std::log10(min_n) - 0.1, hi = std::log10(max_n) + 0.1;
    auto x_of = [&](int n) { return left + (std::log10(n) - lo) / (hi - lo) * width; };
    auto y_of = [&](double v) { return top + height - v / max_y * height; };

    svg << "<text x=\"" << left << "\" y=\"" << top - 12 << "\" font-size=\"14\" font-weight=\"bold\">" << panel.title
        << "</text>\n";
    svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << width << "\" height=\"" << height
        << "\" fill=\"none\" stroke=\"#999\"/>\n";
    for (int i = 0; i <= 4; ++i) {
        const double v = max_y * i / 4;
        svg << "<line x1=\"" << left << "\" x2=\"" << left + width << "\" y1=\"" << y_of(v) << "\" y2=\"" << y_of(v)
            << "\" stroke=\"#eee\"/>\n";
        svg << "<text x=\"" << left - 6 << "\" y=\"" << y_of(v) + 4 << "\" font-size=\"11\" text-anchor=\"end\">"
            << fixed(v, v < 1 ? 3 : 2) << "</text>\n";
    }
    std::vector<int> sizes;
    for (const auto* s : panel.series)
        for (const auto& p : s->points)
            if (std::find(sizes.begin(), sizes.end(), p.n) == sizes.end())
                sizes.push_back(p.n);
    for (int n : sizes)
        svg << "<text x=\"" << x_of(n) << "\" y=\"" << top + height + 16 << "\" font-size=\"11\" text-anchor=\"middle\">"
            << n << "</text>\n";
    svg << "<text x=\"" << left + width / 2 << "\" y=\"" << top + height + 34 << "\" font-size=\"12\" text-anchor=\"middle\">"
        << (panel.title.find("chain") != std::string::npos ? "steps" : "tables") << " (log scale)</text>\n";
    svg << "<text transform=\"translate(" << left - 48 << "," << top + height / 2 << ") rotate(-90)\" font-size=\"12\" "
        << "text-anchor=\"middle\">" << panel.unit << "</text>\n";

    int legend = 0;
    for (const auto* s : panel.series) {
        for (bool strata : {true, false}) {
            std::string points;
            for (const auto& p : s->points) {
                const double v = (strata ? p.strata_ms : p.baseline_ms) / p.n;
                points += fixed(x_of(p.n)) + "," + fixed(y_of(v)) + " ";
                svg << "<circle cx=\"" << x_of(p.n) << "\" cy=\"" << y_of(v) << "\" r=\"3\" fill=\"" << colour_of(*s)
                    << "\"/>\n";
            }
            svg << "<polyline points=\"" << points << "\" fill=\"none\" stroke=\"" << colour_of(*s)
                << "\" stroke-width=\"2\"" << (strata ? "" : " stroke-dasharray=\"6,4\"") << "/>\n";
            const double ly = top + 16 + 16 * legend++;
            svg << "<line x1=\"" << left + 10 << "\" x2=\"" << left + 34 << "\" y1=\"" << ly - 4 << "\" y2=\"" << ly - 4
                << "\" stroke=\"" << colour_of(*s) << "\" stroke-width=\"2\"" << (strata ? "" : " stroke-dasharray=\"6,4\"")
                << "/>\n";
            svg << "<text x=\"" << left + 40 << "\" y=\"" << ly << "\" font-size=\"11\">" << s->dialect << ", "
                << (strata ? "strata" : "plain SQL") << "</text>\n";
        }
    }
}

}  // namespace

std::string growth_chart(const Report& report)
{
    Panel chain{"chain: replaying N steps", "ms per step", {}};
    Panel introspect{"introspection: N tables", "ms per table", {}};
    for (const auto& s : report.series)
        (s.name == "chain" ? chain : introspect).series.push_back(&s);
    const double panel_width = 360, panel_height = 240;
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"340\" font-family=\"sans-serif\">\n"
        << "<rect width=\"900\" height=\"340\" fill=\"white\"/>\n";
    draw_panel(svg, chain, 80, 40, panel_width, panel_height);
    draw_panel(svg, introspect, 520, 40, panel_width, panel_height);
    svg << "</svg>\n";
    return svg.str();
}

}  // namespace strata::bench

// The viewer's properties text as pure functions of the document, the video, the frame and the
// selected track, so the wording is tested without a window: the "Files", "Video", "Frame" and
// "Selected track" sections of the properties panel, and the label drawn beside each mask.
#pragma once

#include <QString>
#include <string>
#include <vector>

#include "widgets/document/track_summary.h"
#include "widgets/document/viewer_document.h"
#include "widgets/viewer/frame_packet.h"
#include "widgets/viewer/properties_panel.h"

namespace autoqvis::gui {

using PropertyRows = widgets::PropertiesPanel::Rows;

PropertyRows fileProperties(const widgets::ViewerDocument& document);
PropertyRows videoProperties(const widgets::ViewerVideo& video, int frame_count, double fps);
/// `packet` is null while the frame is still decoding.
PropertyRows frameProperties(int frame, double fps, const std::vector<const YtvisTrack*>& tracks,
                             const widgets::FramePacket* packet);
/// Null `summary`/`track`: nothing selected.
PropertyRows trackProperties(const widgets::TrackSummary* summary, const YtvisTrack* track, int frame,
                             const std::vector<std::string>& value_names);
/// "#id  s 0.93  IoU 0.81  Q 0.75" at this frame (the parts the track has).
QString trackLabel(const widgets::TrackSummary& summary, const YtvisTrack& track, int frame);

}  // namespace autoqvis::gui

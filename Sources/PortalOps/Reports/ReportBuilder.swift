import OpsProtocol

/// Puts a report together from the sections, in the order the Office reads them.
enum ReportBuilder {
    static func build(_ r: ReportContext, portal: String) throws -> Report {
        let incidents = try IncidentSection.build(r)
        let feedback = try FeedbackSection.build(r)
        let sections = [try AvailabilitySection.build(r), incidents, try MaintenanceSection.build(r),
                        try BackupSection.build(r), feedback,
                        try DifficultiesSection.build(r, incidents: incidents, feedback: feedback)]
        let last = r.window.to - 1
        let first = VietnameseDate.shortDate(r.window.from, time: r.time)
        let underWay = " (kỳ chưa kết thúc, số liệu đến \(VietnameseDate.moment(r.now, time: r.time)))"
        let windowText = "từ ngày \(first) đến ngày \(VietnameseDate.shortDate(last, time: r.time))"
            + (r.window.underWay ? underWay : "")
        return Report(title: "Báo cáo tình hình vận hành \(portal)", window: r.window, windowText: windowText,
                      generatedAt: r.time.iso8601(r.now), sections: sections)
    }
}

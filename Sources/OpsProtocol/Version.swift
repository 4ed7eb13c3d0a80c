import Foundation
/// The release of opsd and opsctl; both print it and `status` reports it.
public enum PortalOpsVersion {
    public static let text = "0.1.0"
}

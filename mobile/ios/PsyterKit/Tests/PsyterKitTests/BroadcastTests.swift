import Foundation
import Testing
@testable import PsyterKit

/// The fan-out behind `syncStatus`, `events`, the session phase and a call's view.
@Suite("Broadcast")
struct BroadcastTests {
    /// A state broadcast hands its latest value to a new subscriber, then follows.
    @Test func replayingHandsTheLatestValueToNewSubscribers() async {
        let feed = Broadcast<Int>(replaying: 1)
        feed.send(2)
        var iterator = feed.stream().makeAsyncIterator()
        let first = await iterator.next()
        #expect(first == 2)
        feed.send(3)
        let second = await iterator.next()
        #expect(second == 3)
        feed.finish()
        let end = await iterator.next()
        #expect(end == nil)
    }

    /// Repeated equal states are not delivered twice.
    @Test func sendIfChangedSkipsRepeats() async {
        let feed = Broadcast<String>(replaying: "idle")
        var iterator = feed.stream().makeAsyncIterator()
        feed.sendIfChanged("idle")
        feed.sendIfChanged("syncing")
        feed.finish()
        var seen: [String] = []
        while let value = await iterator.next() {
            seen.append(value)
        }
        #expect(seen == ["idle", "syncing"])
    }

    /// Events sent before anyone listened go to the first subscriber (newest `backlog` of them).
    @Test func backlogGoesToTheFirstSubscriberOnly() async {
        let feed = Broadcast<Int>(backlog: 2)
        feed.send(1)
        feed.send(2)
        feed.send(3)
        var first = feed.stream().makeAsyncIterator()
        var second = feed.stream().makeAsyncIterator()
        feed.send(4)
        feed.finish()
        var firstSeen: [Int] = []
        while let value = await first.next() {
            firstSeen.append(value)
        }
        var secondSeen: [Int] = []
        while let value = await second.next() {
            secondSeen.append(value)
        }
        #expect(firstSeen == [2, 3, 4])
        #expect(secondSeen == [4])
    }

    /// After `finish`, a new subscriber gets the last state and ends at once.
    @Test func subscribingAfterFinishReplaysAndEnds() async {
        let feed = Broadcast<Int>(replaying: 7)
        feed.finish()
        feed.send(8)
        var seen: [Int] = []
        for await value in feed.stream() {
            seen.append(value)
        }
        #expect(seen == [7])
    }

    /// Many subscribers each get every value.
    @Test func everySubscriberGetsEveryValue() async {
        let feed = Broadcast<Int>(replaying: nil)
        let streams = (0..<3).map { _ in feed.stream() }
        for value in 1...3 {
            feed.send(value)
        }
        feed.finish()
        for stream in streams {
            var seen: [Int] = []
            for await value in stream {
                seen.append(value)
            }
            #expect(seen == [1, 2, 3])
        }
    }
}

using System.Collections;
using System.Runtime.CompilerServices;

namespace Container.Runtime.Compose;

/// <summary>
/// The model's lists: equal to another with the same items in the same order, so that two
/// loads of one project give equal records (what a planner that diffs wanted against running
/// compares). Written as collection expressions: ["a", "b"].
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    public static readonly ValueList<T> Empty = new([]);

    private readonly T[] items;

    internal ValueList(T[] items) => this.items = items;

    public T this[int index] => items[index];

    public int Count => items.Length;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueList<T>? other) => other != null && items.SequenceEqual(other.items);

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in items)
            hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(", ", items)}]";
}

public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.Length == 0 ? ValueList<T>.Empty : new(items.ToArray());

    public static ValueList<T> ToValueList<T>(this IEnumerable<T> items) => items.ToArray() is { Length: > 0 } array ? new(array) : ValueList<T>.Empty;
}

/// <summary>
/// The model's maps: sorted by ordinal key, so that they print and fingerprint alike however the
/// file ordered them, and equal to another with the same keys and values.
/// </summary>
public sealed class ValueMap<T> : IReadOnlyDictionary<string, T>, IEquatable<ValueMap<T>>
{
    public static readonly ValueMap<T> Empty = new(new SortedDictionary<string, T>(StringComparer.Ordinal));

    private readonly SortedDictionary<string, T> entries;

    private ValueMap(SortedDictionary<string, T> entries) => this.entries = entries;

    public static ValueMap<T> Of(IEnumerable<KeyValuePair<string, T>> entries)
    {
        var sorted = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
            sorted[key] = value;
        return sorted.Count == 0 ? Empty : new(sorted);
    }

    public T this[string key] => entries[key];

    public IEnumerable<string> Keys => entries.Keys;

    public IEnumerable<T> Values => entries.Values;

    public int Count => entries.Count;

    public bool ContainsKey(string key) => entries.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value) => entries.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueMap<T>? other) =>
        other != null && other.Count == Count && entries.All(e => other.entries.TryGetValue(e.Key, out var value) && EqualityComparer<T>.Default.Equals(e.Value, value));

    public override bool Equals(object? obj) => obj is ValueMap<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in entries)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }
}

public static class ValueMap
{
    public static ValueMap<T> Of<T>(IEnumerable<KeyValuePair<string, T>> entries) => ValueMap<T>.Of(entries);
}

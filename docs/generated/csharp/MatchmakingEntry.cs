// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class MatchmakingEntry : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public MatchmakingEntry() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string playerId = default(string);

		[global::Colyseus.Schema.Type(1, "string")]
		public string mode = default(string);

		[global::Colyseus.Schema.Type(2, "string")]
		public string status = default(string);

		[global::Colyseus.Schema.Type(3, "array", typeof(global::Colyseus.Schema.ArraySchema<string>), "string")]
		public global::Colyseus.Schema.ArraySchema<string> party = new global::Colyseus.Schema.ArraySchema<string>();

		[global::Colyseus.Schema.Type(4, "array", typeof(global::Colyseus.Schema.ArraySchema<string>), "string")]
		public global::Colyseus.Schema.ArraySchema<string> missing = new global::Colyseus.Schema.ArraySchema<string>();

		[global::Colyseus.Schema.Type(5, "uint32")]
		public uint queuedAtTick = default(uint);
	}
}

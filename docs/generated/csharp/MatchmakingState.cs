// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class MatchmakingState : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public MatchmakingState() { }

		[global::Colyseus.Schema.Type(0, "uint32")]
		public uint tick = default(uint);

		[global::Colyseus.Schema.Type(1, "uint32")]
		public uint queued = default(uint);

		[global::Colyseus.Schema.Type(2, "uint32")]
		public uint gathering = default(uint);

		[global::Colyseus.Schema.Type(3, "map", typeof(global::Colyseus.Schema.MapSchema<uint>), "uint32")]
		public global::Colyseus.Schema.MapSchema<uint> modes = new global::Colyseus.Schema.MapSchema<uint>();

		[global::Colyseus.Schema.Type(4, "uint32")]
		public uint matchesFormed = 0;

		[global::Colyseus.Schema.Type(5, "map", typeof(global::Colyseus.Schema.MapSchema<MatchmakingEntry>))]
		public global::Colyseus.Schema.MapSchema<MatchmakingEntry> entries = new global::Colyseus.Schema.MapSchema<MatchmakingEntry>();
	}
}

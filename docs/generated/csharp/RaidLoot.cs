// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class RaidLoot : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public RaidLoot() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string playerId = default(string);

		[global::Colyseus.Schema.Type(1, "array", typeof(global::Colyseus.Schema.ArraySchema<RaidLootItem>))]
		public global::Colyseus.Schema.ArraySchema<RaidLootItem> items = new global::Colyseus.Schema.ArraySchema<RaidLootItem>();
	}
}
